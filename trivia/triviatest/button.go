// Package triviatest holds the button-answer benchmark that trivia runs on bbolt and
// pgstore runs on PostgreSQL, so the two measure exactly the same work: decode a click as
// the gateway delivers it, check and record the answer, encode the "Locked in" reply.
package triviatest

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
	"filmbot/seed"
	"filmbot/store"
	"filmbot/store/storetest"
	"filmbot/trivia"
)

// firstPost is a Messenger that hands over the first message it is asked to post and
// accepts the rest.
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

// OpenQuestion starts a game whose first question stays open for an hour, with the
// knowledge of quizFile (a TOML seed whose "harbour" film has multiple-choice questions)
// in a real bbolt store, and returns the command set and one button's custom ID. guilds
// holds scores and answers; nil means the bbolt store's own.
func OpenQuestion(b *testing.B, quizFile string, guilds func(*store.Store) store.GuildStore) (*commands.Set, string) {
	b.Helper()
	data, err := os.ReadFile(quizFile)
	if err != nil {
		b.Fatal(err)
	}
	cat, err := seed.Parse(quizFile, data)
	if err != nil {
		b.Fatal(err)
	}
	st := storetest.Open(b, cat)
	deps := trivia.Deps{Store: st, Timing: &trivia.Timing{Question: time.Hour}}
	if guilds != nil {
		deps.Guilds = guilds(st)
	}
	msgr := &firstPost{first: make(chan *discordgo.MessageSend, 1)}
	deps.Messenger = msgr
	e := trivia.New(deps)
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

// clickJSON is a button click as the gateway delivers it, with USER standing for the
// clicking user's ID and CUSTOM for the button's custom ID.
const clickJSON = `{"id":"900000000000000001","application_id":"100000000000000001","type":3,
"token":"aW50ZXJhY3Rpb246dG9rZW4","version":1,"channel_id":"300000000000000001",
"guild_id":"600000000000000001","locale":"en-US","app_permissions":"562949953421311",
"member":{"user":{"id":"USER","username":"player","discriminator":"0"},"roles":[],
"joined_at":"2024-01-01T00:00:00.000000+00:00","permissions":"0","deaf":false,"mute":false,"flags":0},
"message":{"id":"900000000000000002","channel_id":"300000000000000001","type":0,"content":""},
"data":{"custom_id":"CUSTOM","component_type":2}}`

// answerOnce decodes a click, runs it through the command set and encodes the reply, as
// the bot does for each button answer.
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

// clicks returns n clicks on button id by n different players.
func clicks(id string, n int) [][]byte {
	tmpl := strings.Replace(clickJSON, "CUSTOM", id, 1)
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(strings.Replace(tmpl, "USER", fmt.Sprint(410000000000000000+i), 1))
	}
	return out
}

// Latency is one player's button answer at a time, b.N of them on button id; it reports
// p50 and p99 in microseconds.
func Latency(b *testing.B, set *commands.Set, id string) {
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

// Parallel is many players answering at once (32 goroutines per CPU); it reports
// acknowledged answers per second, each acknowledged only after its commit.
func Parallel(b *testing.B, set *commands.Set, id string) {
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
