package btcdtest

// PeerInfo is one entry of btcd's getpeerinfo answer.
type PeerInfo struct {
	// ID is btcd's peer id.
	ID int32 `json:"id"`
	// Addr is the remote address as host:port.
	Addr string `json:"addr"`
	// AddrLocal is btcd's local address of the connection, when known.
	AddrLocal string `json:"addrlocal,omitempty"`
	// Services is the peer's service flags as a zero-padded hex string.
	Services string `json:"services"`
	// RelayTxes reports whether the peer asked for transaction relay.
	RelayTxes bool `json:"relaytxes"`
	// LastSend is the Unix time of the last message sent to the peer.
	LastSend int64 `json:"lastsend"`
	// LastRecv is the Unix time of the last message received from the peer.
	LastRecv int64 `json:"lastrecv"`
	// BytesSent counts bytes sent to the peer.
	BytesSent uint64 `json:"bytessent"`
	// BytesRecv counts bytes received from the peer.
	BytesRecv uint64 `json:"bytesrecv"`
	// ConnTime is the Unix time the connection was made.
	ConnTime int64 `json:"conntime"`
	// TimeOffset is the peer's clock offset in seconds.
	TimeOffset int64 `json:"timeoffset"`
	// PingTime is the last ping round trip in seconds.
	PingTime float64 `json:"pingtime"`
	// PingWait is how long an unanswered ping has been waiting, in seconds.
	PingWait float64 `json:"pingwait,omitempty"`
	// Version is the protocol version the peer announced.
	Version uint32 `json:"version"`
	// SubVer is the peer's user agent.
	SubVer string `json:"subver"`
	// Inbound reports whether the peer connected to btcd.
	Inbound bool `json:"inbound"`
	// StartingHeight is the best height the peer announced in its version.
	StartingHeight int32 `json:"startingheight"`
	// CurrentHeight is btcd's estimate of the peer's current height.
	CurrentHeight int32 `json:"currentheight,omitempty"`
	// BanScore is btcd's misbehaviour score for the peer.
	BanScore int32 `json:"banscore"`
	// FeeFilter is the peer's announced minimum fee rate.
	FeeFilter int64 `json:"feefilter"`
	// SyncNode reports whether btcd downloads blocks from this peer.
	SyncNode bool `json:"syncnode"`
	// V2Connection reports whether the connection uses BIP324.
	V2Connection bool `json:"v2_connection"`
}
