package wireping

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"time"
)

// Ping sends the MongoDB `ping` command as one OP_MSG and checks that the reply says ok: 1. A bare TCP connect
// would pass before the SQLite backend answers; a real command goes through the handler.
func Ping(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}

	if _, err := conn.Write(encodePingMsg()); err != nil {
		return fmt.Errorf("sending ping: %w", err)
	}

	var header [16]byte
	if _, err := io.ReadFull(conn, header[:]); err != nil {
		return fmt.Errorf("reading reply header: %w", err)
	}
	length := int(binary.LittleEndian.Uint32(header[0:4]))
	if length < 16 || length > 1<<20 {
		return fmt.Errorf("implausible reply length %d", length)
	}
	body := make([]byte, length-16)
	if _, err := io.ReadFull(conn, body); err != nil {
		return fmt.Errorf("reading reply body: %w", err)
	}
	if !isOkReply(body) {
		return errors.New("reply does not contain ok: 1")
	}
	return nil
}

// encodePingMsg builds OP_MSG (opCode 2013) with one body section {ping: 1, $db: "admin"}.
func encodePingMsg() []byte {
	var doc bytes.Buffer
	doc.WriteByte(0x10) // int32
	doc.WriteString("ping\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(1))
	doc.WriteByte(0x02) // string
	doc.WriteString("$db\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(len("admin")+1))
	doc.WriteString("admin\x00")
	doc.WriteByte(0x00)

	docBytes := make([]byte, 4, 4+doc.Len())
	binary.LittleEndian.PutUint32(docBytes, uint32(4+doc.Len()))
	docBytes = append(docBytes, doc.Bytes()...)

	var msg bytes.Buffer
	total := 16 + 4 + 1 + len(docBytes)
	for _, v := range []int32{int32(total), 1, 0, 2013} {
		_ = binary.Write(&msg, binary.LittleEndian, v)
	}
	_ = binary.Write(&msg, binary.LittleEndian, uint32(0)) // flagBits
	msg.WriteByte(0)                                       // section kind 0: body
	msg.Write(docBytes)
	return msg.Bytes()
}

// isOkReply looks for the top-level element ok (double 1.0), which is how MongoDB and FerretDB answer ping.
func isOkReply(body []byte) bool {
	i := bytes.Index(body, []byte("\x01ok\x00"))
	if i < 0 || i+4+8 > len(body) {
		return false
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(body[i+4:i+12])) == 1
}
