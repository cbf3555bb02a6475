// Package chainman is the chain actor: it turns the pure chain packages
// (chain/headers, chain/blockcheck, chain/blockstore, chain/download) into
// a syncing, serving node. It is a thin adapter; the decisions live in
// those packages and in the small pure helpers here (needList,
// advanceBlockTip, peerBestHeight, inIBD, rate).
//
// # What it owns
//
// The header tree (every accepted header with its cumulative work, the
// best header chain and its reorganisations), the block store (opened in
// Config.Dir, flushed every FlushInterval and at stop: "durable" means
// flushed), the download scheduler's state, the block tip (the last block
// of the best header chain stored together with every ancestor, Core's
// "blocks") and what it knows of each handshaken peer (the best header it
// is known to have, whether it wants headers announcements, its counts).
//
// # What it never touches
//
// Sockets and frames (Peer actors forward it chain messages as
// chainpb.PeerMessage with the raw payload and send what it asks with
// peermanpb.SendMessage), the peers' lifecycle (it learns of peers from
// peerman's watcher events PeerHandshaken and PeerDisconnected and asks
// for disconnections with peermanpb.RequestDisconnect, which the Peer
// turns into connman's DisconnectPeer), addresses, scripts and the UTXO
// set: actornode does not validate scripts.
//
// # Sync
//
// On each handshake it sends sendheaders (BIP 130) and a getheaders from
// its best header's parent, so that the answer shows how far the peer is;
// a full headers message (2000) asks for the next. A header that breaks
// the rules disconnects the peer as misbehaving (INVALID_HEADER); one
// that does not connect asks for headers from our best. Every peer
// offering NODE_NETWORK and NODE_WITNESS whose best header is known is a
// download peer; the scheduler decides which blocks to ask of whom (the
// moving 1024-block window, 16 in flight per peer, stall detection and
// reassignment), and the actor sends one getdata of witness blocks per
// Request and disconnects the peers it reports (STALLING, BLOCK_TIMEOUT).
// Each block is checked with chain/blockcheck: a failure disconnects the
// peer as misbehaving (INVALID_BLOCK); a mutated block (bad merkle root,
// witness commitment, ...) is fetched again from another peer, any other
// failure invalidates the header. Valid blocks are stored and the block
// tip advances in height order along the best header chain. A
// reorganisation moves the block tip back to the fork and re-points the
// download with a new Need.
//
// # Restart
//
// At start the tree is rebuilt from the headers of the stored (and
// pruned) blocks, parents first; the peers then supply the headers past
// them. A block made durable before a crash is never fetched again.
//
// # Serving
//
// getheaders (up to 2000 headers after the locator's fork point, ending at
// hash_stop), getblocks (an inv of up to 500 hashes) and getdata
// (MSG_WITNESS_BLOCK as stored, MSG_BLOCK re-serialized without witness;
// notfound for what is not stored and for every transaction request: there
// is no mempool) are answered from the block chain up to the block tip
// only. Reading a block for getdata or GetBlock is a disk read inside the
// actor's handler (a few hundred microseconds for a megabyte block from
// the page cache); every other handler does in-memory work only. Outside
// initial block download (the block tip is younger than MaxTipAge) new
// blocks are announced to every peer not known to have them: with headers
// (at most 8) to peers that sent sendheaders, else with an inv of the tip.
//
// # Queries
//
// GetTip (TipSnapshot), GetBlockHash (OUT_OF_RANGE above the block tip),
// GetBlockHeader, GetBlock, GetSyncStatus and SubscribeTip (every new
// TipSnapshot; Config.OnTip is the in-process variant). During IBD the tip
// is published at most once per tick, afterwards at every change. A
// progress line (headers, blocks, blocks/s, MB/s, estimated time left) is
// logged every ProgressInterval while blocks are missing.
package chainman
