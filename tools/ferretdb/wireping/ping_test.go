package wireping

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestEncodePingMsgLengthsAgree(t *testing.T) {
	msg := encodePingMsg()
	if got := int(binary.LittleEndian.Uint32(msg[0:4])); got != len(msg) {
		t.Fatalf("header length %d, message is %d bytes", got, len(msg))
	}
	doc := msg[21:]
	if got := int(binary.LittleEndian.Uint32(doc[0:4])); got != len(doc) {
		t.Fatalf("document length %d, document is %d bytes", got, len(doc))
	}
}

func TestIsOkReply(t *testing.T) {
	one := make([]byte, 8)
	binary.LittleEndian.PutUint64(one, math.Float64bits(1))
	if !isOkReply(append([]byte("xx\x01ok\x00"), one...)) {
		t.Fatal("ok: 1 not recognised")
	}
	if isOkReply([]byte("xx\x01ok\x00\x00\x00\x00\x00\x00\x00\x00\x00")) {
		t.Fatal("ok: 0 taken for ok: 1")
	}
}
