package dump

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// fill sets every field of m, recursively, to a distinct non-zero value.
func fill(m protoreflect.Message, n *int) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		*n++
		switch {
		case fd.IsMap():
			key := protoreflect.ValueOfString(fmt.Sprintf("k%d", *n)).MapKey()
			m.Mutable(fd).Map().Set(key, scalar(fd.MapValue(), *n))
		case fd.IsList():
			l := m.Mutable(fd).List()
			e := l.NewElement()
			if fd.Kind() == protoreflect.MessageKind {
				fill(e.Message(), n)
			} else {
				e = scalar(fd, *n)
			}
			l.Append(e)
		case fd.Kind() == protoreflect.MessageKind:
			fill(m.Mutable(fd).Message(), n)
		default:
			m.Set(fd, scalar(fd, *n))
		}
	}
}

// scalar returns a non-zero value of fd's kind derived from n.
func scalar(fd protoreflect.FieldDescriptor, n int) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		return protoreflect.ValueOfEnum(vals.Get(1 + n%(vals.Len()-1)).Number())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(-n))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(-int64(n) * 1_000_000_007)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(n))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(n) * 1_000_000_007)
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(fmt.Sprintf("s%d", n))
	}
	panic(fmt.Sprintf("field %s: kind %v not handled by the test", fd.FullName(), fd.Kind()))
}

// compare checks that obj (a record's JSON object) has exactly one key per
// field of m, named as the proto field, holding m's value.
func compare(t *testing.T, where string, m protoreflect.Message, obj map[string]any) {
	t.Helper()
	fields := m.Descriptor().Fields()
	if len(obj) != fields.Len() {
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Errorf("%s: JSON has %d keys %v, %s has %d fields", where, len(obj), keys, m.Descriptor().FullName(), fields.Len())
	}
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		name := string(fd.Name())
		got, ok := obj[name]
		if !ok {
			t.Errorf("%s.%s: no dump field for proto field %s (add it to schema.go, convert.go and docs/dumps.md)", where, name, fd.FullName())
			continue
		}
		v := m.Get(fd)
		switch {
		case fd.IsMap():
			gm, _ := got.(map[string]any)
			if len(gm) != v.Map().Len() {
				t.Errorf("%s.%s: %v, want %d entries", where, name, got, v.Map().Len())
			}
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				if fmt.Sprint(gm[k.String()]) != fmt.Sprint(mv.Interface()) {
					t.Errorf("%s.%s[%s] = %v, want %v", where, name, k.String(), gm[k.String()], mv.Interface())
				}
				return true
			})
		case fd.IsList():
			gl, _ := got.([]any)
			if len(gl) != v.List().Len() {
				t.Errorf("%s.%s: %d elements, want %d", where, name, len(gl), v.List().Len())
				continue
			}
			for j := 0; j < len(gl); j++ {
				eo, _ := gl[j].(map[string]any)
				compare(t, fmt.Sprintf("%s.%s[%d]", where, name, j), v.List().Get(j).Message(), eo)
			}
		case fd.Kind() == protoreflect.MessageKind:
			o, _ := got.(map[string]any)
			compare(t, where+"."+name, v.Message(), o)
		case fd.Kind() == protoreflect.EnumKind:
			want := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(
				string(fd.Enum().Values().ByNumber(v.Enum()).Name()), "CONNECTION_TYPE_")), "_", "-")
			if got != want {
				t.Errorf("%s.%s = %v, want %q", where, name, got, want)
			}
		default:
			if fmt.Sprint(got) != fmt.Sprint(v.Interface()) {
				t.Errorf("%s.%s = %v, want %v", where, name, got, v.Interface())
			}
		}
	}
}

// decodeObject decodes a JSON line keeping numbers exact.
func decodeObject(t *testing.T, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var obj map[string]any
	if err := d.Decode(&obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

// TestRecordCarriesEveryPeerStatsField fails when a field is added to
// PeerStats (or the messages inside it) without a dump field of the same
// name and value.
func TestRecordCarriesEveryPeerStatsField(t *testing.T) {
	s := &peermanpb.PeerStats{}
	n := 0
	fill(s.ProtoReflect(), &n)
	b, err := EncodeRecord(NewRecord(KindPeriodic, t0, s))
	if err != nil {
		t.Fatal(err)
	}
	obj := decodeObject(t, b)
	stats, _ := obj["stats"].(map[string]any)
	compare(t, "stats", s.ProtoReflect(), stats)

	p := s.GetPeer()
	want := map[string]any{
		"id": fmt.Sprint(p.GetPeerId()), "conn_id": fmt.Sprint(p.GetConnId()), "addr": p.GetAddr(),
		"network": p.GetNetwork(), "direction": "inbound", "connection_type": ConnTypeName(p.GetConnectionType()),
		"subver": p.GetSubver(),
	}
	peer, _ := obj["peer"].(map[string]any)
	if len(peer) != len(want) {
		t.Errorf("peer identity %v, want keys of %v", peer, want)
	}
	for k, v := range want {
		if fmt.Sprint(peer[k]) != v {
			t.Errorf("peer.%s = %v, want %v", k, peer[k], v)
		}
	}
	if obj["v"] != json.Number("1") || obj["kind"] != "periodic" || obj["time"] != "2025-03-01T12:00:00Z" ||
		obj["unix_nano"] != json.Number(fmt.Sprint(t0.UnixNano())) || len(obj) != 6 {
		t.Errorf("top level %v", obj)
	}
}

func TestConnTypeNamesAreThePeerFilterNames(t *testing.T) {
	want := map[peermanpb.ConnectionType]string{
		peermanpb.ConnectionType_CONNECTION_TYPE_UNSPECIFIED:         "",
		peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND:             peerfilter.ConnTypeInbound,
		peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY: peerfilter.ConnTypeOutboundFullRelay,
		peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY:    peerfilter.ConnTypeBlockRelayOnly,
		peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL:              peerfilter.ConnTypeManual,
		peermanpb.ConnectionType_CONNECTION_TYPE_FEELER:              peerfilter.ConnTypeFeeler,
		peermanpb.ConnectionType_CONNECTION_TYPE_ADDR_FETCH:          peerfilter.ConnTypeAddrFetch,
	}
	for ct, name := range want {
		if got := ConnTypeName(ct); got != name {
			t.Errorf("ConnTypeName(%v) = %q, want %q", ct, got, name)
		}
	}
}

// TestDocsDescribeEveryField fails when a record key is missing from
// docs/dumps.md (each key must appear there in backquotes).
func TestDocsDescribeEveryField(t *testing.T) {
	doc, err := os.ReadFile("../../docs/dumps.md")
	if err != nil {
		t.Fatal(err)
	}
	s := &peermanpb.PeerStats{}
	n := 0
	fill(s.ProtoReflect(), &n)
	b, err := EncodeRecord(NewRecord(KindFinal, t0, s))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if strings.HasSuffix(prefix, "_per_msg") {
					continue // keys are message types, not schema
				}
				if !bytes.Contains(doc, []byte("`"+k+"`")) {
					t.Errorf("docs/dumps.md does not describe `%s` (%s)", k, strings.TrimPrefix(prefix+"."+k, "."))
				}
				walk(prefix+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(prefix, e)
			}
		}
	}
	walk("", decodeObject(t, b))
}
