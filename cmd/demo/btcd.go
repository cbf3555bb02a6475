package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// btcd is a regtest btcd started by the demo.
type btcd struct {
	p2p string
	rpc rpcClient
}

// startBtcd starts btcd from dir on loopback regtest with free ports and a
// private data directory, and waits for its RPC.
func (d *demo) startBtcd(ctx context.Context, dir string) (*btcd, error) {
	bin := filepath.Join(dir, "btcd")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("btcd not found in %s (make tools installs it): %w", dir, err)
	}
	home := filepath.Join(d.dir, "btcd")
	if err := os.MkdirAll(home, 0o700); err != nil {
		return nil, err
	}
	conf := filepath.Join(home, "btcd.conf")
	if err := os.WriteFile(conf, nil, 0o600); err != nil {
		return nil, err
	}
	mining, err := demoMiningAddress()
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 16)
	_, _ = rand.Read(secret)
	b := &btcd{p2p: fmt.Sprintf("127.0.0.1:%d", freePort())}
	rpcAddr := fmt.Sprintf("127.0.0.1:%d", freePort())
	b.rpc = rpcClient{url: "http://" + rpcAddr + "/", user: "demo", pass: hex.EncodeToString(secret)}
	args := []string{
		"--configfile=" + conf, "--datadir=" + filepath.Join(home, "data"), "--logdir=" + filepath.Join(home, "logs"),
		"--regtest", "--notls", "--nodnsseed",
		"--listen=" + b.p2p, "--rpclisten=" + rpcAddr,
		"--rpcuser=" + b.rpc.user, "--rpcpass=" + b.rpc.pass,
		"--miningaddr=" + mining,
	}
	if err := d.start(bin, args, filepath.Join(d.dir, "btcd.log")); err != nil {
		return nil, err
	}
	err = waitFor(ctx, 30*time.Second, "btcd RPC", func() error {
		_, err := b.rpc.call("getblockcount")
		return err
	})
	return b, err
}

// demoMiningAddress is the regtest address of a publicly known key (32 bytes
// of 0x01): mined coins are worthless outside regtest.
func demoMiningAddress() (string, error) {
	priv, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{0x01}, 32))
	addr, err := address.NewAddressPubKeyHash(address.Hash160(priv.PubKey().SerializeCompressed()), &chaincfg.RegressionNetParams)
	if err != nil {
		return "", err
	}
	return addr.EncodeAddress(), nil
}
