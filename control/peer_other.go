//go:build !linux

package control

import (
	"errors"
	"net"
	"syscall"
)

// samePeer relies on the socket's 0600 mode where peer credentials are not checked.
func samePeer(net.Conn) error { return nil }

func isRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }
