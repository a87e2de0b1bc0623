package pgstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/bot"
	"filmbot/commands"
	"filmbot/internal/pgtest"
	"filmbot/pgstore"
	"filmbot/seed"
	"filmbot/store/storetest"
	"filmbot/trivia"
)

// These benchmarks are trivia's button answer (trivia/bench_test.go) with the scores in
// PostgreSQL: decode the click, check it, record the answer (one committed statement),
// encode "Locked in".

// firstPost is a Messenger that hands over the first message posted and accepts the rest.
type firstPost struct {
	once  sync.Once
	first chan *discordgo.MessageSend
	n     atomic.Int64
}

func (m *firstPost) Send(_ context.Context, _ string, msg *discordgo.MessageSend) (string, error) {
	m.once.Do(func() { m.first <- msg })
	return fmt.Sprint(m.n.Add(1)), nil
}

func (m *firstPost) Edit(context.Context, string, string, *discordgo.MessageEdit) error { return nil }

// openQuestion starts a game whose first question stays open for an hour, with the
// knowledge in bbolt and the per-guild data in PostgreSQL, and returns the command set
// and one button's custom ID.
func openQuestion(b *testing.B) (*commands.Set, string) {
	b.Helper()
	data, err := os.ReadFile("../trivia/testdata/quiz.toml")
	if err != nil {
		b.Fatal(err)
	}
	cat, err := seed.Parse("quiz.toml", data)
	if err != nil {
		b.Fatal(err)
	}
	st := storetest.Open(b, cat)
	pg, err := pgstore.Open(context.Background(), pgtest.DB(b), pgstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { pg.Close() })
	msgr := &firstPost{first: make(chan *discordgo.MessageSend, 1)}
	e := trivia.New(trivia.Deps{Store: st, Guilds: pg, Messenger: msgr, Timing: &trivia.Timing{Question: time.Hour}})
	b.Cleanup(e.Close)
	set := commands.New(commands.Deps{Store: st})
	e.Register(set)
	resp := set.Handle(context.Background(), &commands.Request{
		Kind: commands.KindCommand, Name: "trivia", Subcommand: "start", GuildID: "600000000000000001",
		ChannelID: "300000000000000001", User: commands.User{ID: "400000000000000001"},
		Options: map[string]commands.Option{"film": {Type: discordgo.ApplicationCommandOptionString, Value: "harbour"}},
	})
	if resp.Data == nil || resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
		b.Fatalf("start refused: %+v", resp.Data)
	}
	msg := <-msgr.first
	row := msg.Components[0].(discordgo.ActionsRow)
	return set, row.Components[0].(discordgo.Button).CustomID
}

const clickJSON = `{"id":"900000000000000001","application_id":"100000000000000001","type":3,
"token":"aW50ZXJhY3Rpb246dG9rZW4","version":1,"channel_id":"300000000000000001",
"guild_id":"600000000000000001","locale":"en-US","app_permissions":"562949953421311",
"member":{"user":{"id":"USER","username":"player","discriminator":"0"},"roles":[],
"joined_at":"2024-01-01T00:00:00.000000+00:00","permissions":"0","deaf":false,"mute":false,"flags":0},
"message":{"id":"900000000000000002","channel_id":"300000000000000001","type":0,"content":""},
"data":{"custom_id":"CUSTOM","component_type":2}}`

func answerOnce(set *commands.Set, raw []byte) error {
	var in discordgo.Interaction
	if err := json.Unmarshal(raw, &in); err != nil {
		return err
	}
	req, err := bot.NewRequest(&in)
	if err != nil {
		return err
	}
	resp := set.Handle(context.Background(), req)
	body, err := json.Marshal(resp.InteractionResponse)
	if err != nil {
		return err
	}
	if !strings.Contains(string(body), "Locked in") {
		return fmt.Errorf("answer not acknowledged: %s", body)
	}
	return nil
}

func clicks(id string, n int) [][]byte {
	tmpl := strings.Replace(clickJSON, "CUSTOM", id, 1)
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(strings.Replace(tmpl, "USER", fmt.Sprint(410000000000000000+i), 1))
	}
	return out
}

// BenchmarkButtonAnswerPostgres is one player's button answer at a time; p50 and p99 in
// microseconds.
func BenchmarkButtonAnswerPostgres(b *testing.B) {
	set, id := openQuestion(b)
	raw := clicks(id, b.N)
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if err := answerOnce(set, raw[i]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[(len(lat)-1)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkButtonAnswerPostgresParallel is many players answering at once (32 goroutines
// per CPU): acknowledged answers per second.
func BenchmarkButtonAnswerPostgresParallel(b *testing.B) {
	set, id := openQuestion(b)
	raw := clicks(id, b.N)
	var next atomic.Int64
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := answerOnce(set, raw[next.Add(1)-1]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "answers/s")
}
