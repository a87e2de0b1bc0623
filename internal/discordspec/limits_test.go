package discordspec_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"filmbot/internal/discordspec"
)

func TestCheckLimits_valid(t *testing.T) {
	for _, tc := range validRequests(t) {
		t.Run(tc.name, func(t *testing.T) {
			if err := discordspec.CheckLimits(tc.method, tc.path, tc.body); err != nil {
				t.Errorf("%s\nbody: %s", err, tc.body)
			}
		})
	}
}

func field(name, value string) map[string]any { return map[string]any{"name": name, "value": value} }

func TestCheckLimits_invalid(t *testing.T) {
	mentions := map[string]any{"parse": []any{}}
	msg := func(m map[string]any) map[string]any {
		if _, ok := m["allowed_mentions"]; !ok {
			m["allowed_mentions"] = mentions
		}
		return m
	}
	option := func(name, desc string) map[string]any {
		return map[string]any{"type": 3, "name": name, "description": desc}
	}
	tests := []struct {
		name, method, path string
		body               any // marshalled to JSON unless a string
		want               []at
	}{
		{"reply content over 2000", "POST", callbackPath, reply(map[string]any{"content": repeat(2001)}),
			[]at{{"/data/content", "content-length"}}},
		{"channel message content over 2000", "POST", channelPath, msg(map[string]any{"content": repeat(2001)}),
			[]at{{"/content", "content-length"}}},
		{"2000 emoji", "POST", channelPath, msg(map[string]any{"content": strings.Repeat("🎞", 2000)}), nil},
		{"empty reply", "POST", callbackPath, reply(map[string]any{"content": ""}), []at{{"/data", "empty-message"}}},
		{"reply without data", "POST", callbackPath, map[string]any{"type": 4}, []at{{"/data", "empty-message"}}},
		{"empty edit is fine", "PATCH", originalPath, msg(map[string]any{"components": []any{}}), nil},
		{"eleven embeds", "POST", followupPath, msg(map[string]any{"embeds": objects(11, map[string]any{"title": "x"})}),
			[]at{{"/embeds", "embed-count"}}},
		{"embed text limits", "PATCH", originalPath, msg(map[string]any{"embeds": []any{map[string]any{
			"title": repeat(257), "description": repeat(4097),
			"footer": map[string]any{"text": repeat(2049)}, "author": map[string]any{"name": repeat(257)},
		}}}),
			[]at{{"/embeds/0/title", "embed-title"}, {"/embeds/0/description", "embed-description"},
				{"/embeds/0/footer/text", "embed-footer"}, {"/embeds/0/author/name", "embed-author"}, {"/embeds", "embed-total"}}},
		{"embed fields", "POST", channelPath, msg(map[string]any{"embeds": []any{map[string]any{
			"fields": append(objects(25, field("a", "b")), field(repeat(257), repeat(1025)), field("", "")),
		}}}),
			[]at{{"/embeds/0/fields", "embed-fields"},
				{"/embeds/0/fields/25/name", "embed-field-name"}, {"/embeds/0/fields/25/value", "embed-field-value"},
				{"/embeds/0/fields/26/name", "embed-field-name"}, {"/embeds/0/fields/26/value", "embed-field-value"}}},
		{"6000 characters over all embeds", "POST", callbackPath, reply(map[string]any{"embeds": []any{
			map[string]any{"description": repeat(4000)}, map[string]any{"description": repeat(2000), "title": "x"},
		}}), []at{{"/data/embeds", "embed-total"}}},
		{"exactly 6000 characters", "POST", callbackPath, reply(map[string]any{"embeds": []any{
			map[string]any{"description": repeat(4000)}, map[string]any{"description": repeat(1999), "title": "x"},
		}}), nil},
		{"six action rows", "POST", callbackPath, reply(map[string]any{"components": objects(6, row(button("a", "a")))}),
			[]at{{"/data/components", "action-rows"}}},
		{"a button at the top level", "POST", callbackPath, reply(map[string]any{"components": []any{button("a", "a")}}),
			[]at{{"/data/components/0/type", "action-rows"}}},
		{"components v2 may nest other components", "POST", callbackPath, reply(map[string]any{"flags": 1 << 15, "components": []any{
			map[string]any{"type": 10, "content": "hello"}, map[string]any{"type": 17, "components": []any{row(button("a", repeat(101)))}},
		}}), []at{{"/data/components/1/components/0/components/0/custom_id", "custom-id"}}},
		{"six buttons in a row", "POST", callbackPath, reply(map[string]any{"components": []any{row(objects(6, button("a", "a"))...)}}),
			[]at{{"/data/components/0/components", "row-width"}}},
		{"a select beside a button", "POST", callbackPath, reply(map[string]any{"components": []any{row(
			map[string]any{"type": 3, "custom_id": "pick", "options": objects(1, map[string]any{"label": "a", "value": "a"})},
			button("a", "a"))}}),
			[]at{{"/data/components/0/components/0", "row-width"}}},
		{"button limits", "POST", callbackPath, reply(map[string]any{"components": []any{row(button(repeat(81), repeat(101)), button("b", ""))}}),
			[]at{{"/data/components/0/components/0/custom_id", "custom-id"}, {"/data/components/0/components/0/label", "button-label"},
				{"/data/components/0/components/1/custom_id", "custom-id"}}},
		{"button targets", "POST", callbackPath, reply(map[string]any{"components": []any{row(
			map[string]any{"type": 2, "style": 5, "label": "link", "url": "https://example.org", "custom_id": "x"},
			map[string]any{"type": 2, "style": 1, "label": "no id"})}}),
			[]at{{"/data/components/0/components/0", "button-target"}, {"/data/components/0/components/1/custom_id", "button-target"}}},
		{"26 select options", "POST", callbackPath, reply(map[string]any{"components": []any{row(
			map[string]any{"type": 3, "custom_id": "pick", "options": objects(26, map[string]any{"label": "a", "value": "a"})})}}),
			[]at{{"/data/components/0/components/0/options", "select-options"}}},
		{"autocomplete choices", "POST", callbackPath, map[string]any{"type": 8, "data": map[string]any{
			"choices": append(objects(25, map[string]any{"name": "a", "value": "a"}),
				map[string]any{"name": repeat(101), "value": repeat(101)}, map[string]any{"name": "", "value": ""}, map[string]any{"name": "n", "value": 7})}},
			[]at{{"/data/choices", "choices"}, {"/data/choices/25/name", "choice-name"}, {"/data/choices/25/value", "choice-value"},
				{"/data/choices/26/name", "choice-name"}, {"/data/choices/26/value", "choice-value"}}},
		{"modal", "POST", callbackPath, map[string]any{"type": 9, "data": map[string]any{"custom_id": repeat(101), "title": repeat(46),
			"components": []any{row(map[string]any{"type": 4, "custom_id": "answer", "label": "Answer", "style": 1})}}},
			[]at{{"/data/custom_id", "custom-id"}, {"/data/title", "modal-title"}}},
		{"no allowed_mentions", "POST", callbackPath, map[string]any{"type": 4, "data": map[string]any{"content": "hi"}},
			[]at{{"/data/allowed_mentions", "allowed-mentions"}}},
		{"allowed_mentions with a null parse", "POST", followupPath, map[string]any{"content": "hi", "allowed_mentions": map[string]any{"parse": nil}},
			[]at{{"/allowed_mentions/parse", "allowed-mentions"}}},
		{"allowed_mentions that pings users", "PATCH", messagePath, map[string]any{"content": "hi", "allowed_mentions": map[string]any{"parse": []any{"users"}}},
			[]at{{"/allowed_mentions/parse", "allowed-mentions"}}},
		{"allowed_mentions without parse", "PATCH", followupEdit, map[string]any{"content": "hi", "allowed_mentions": map[string]any{}},
			[]at{{"/allowed_mentions/parse", "allowed-mentions"}}},
		{"an ephemeral deferral carries allowed_mentions", "POST", callbackPath, map[string]any{"type": 5, "data": map[string]any{"flags": 64}},
			[]at{{"/data/allowed_mentions", "allowed-mentions"}}},
		{"an update carries allowed_mentions", "POST", callbackPath, map[string]any{"type": 7, "data": map[string]any{"content": "x"}},
			[]at{{"/data/allowed_mentions", "allowed-mentions"}}},
		{"command names", "PUT", commandsPath, []any{
			map[string]any{"name": "Film", "description": "x"},
			map[string]any{"name": repeat(33), "description": "x"},
			map[string]any{"name": "", "description": "x"},
			map[string]any{"name": "two words", "description": "x"},
			map[string]any{"name": "Add to Quiz", "type": 3},
			map[string]any{"name": "फ़िल्म", "description": "Hindi name"},
		}, []at{{"/0/name", "command-name"}, {"/1/name", "command-name"}, {"/2/name", "command-name"}, {"/3/name", "command-name"}}},
		{"command descriptions", "PUT", guildCmdPath, []any{
			map[string]any{"name": "film"},
			map[string]any{"name": "ask", "description": repeat(101)},
			map[string]any{"name": "Quote", "type": 3, "description": "not allowed"},
		}, []at{{"/0/description", "command-description"}, {"/1/description", "command-description"}, {"/2/description", "command-description"}}},
		{"command options", "POST", commandsPath, map[string]any{"name": "film", "description": "x",
			"options": append(objects(25, option("a", "b")), option("Title", ""))},
			[]at{{"/options", "command-options"}, {"/options/25/name", "command-name"}, {"/options/25/description", "command-description"}}},
		{"subcommand options and choices", "POST", guildCmdPath, map[string]any{"name": "trivia", "description": "x",
			"options": []any{map[string]any{"type": 1, "name": "start", "description": "x", "options": []any{
				map[string]any{"type": 3, "name": "level", "description": "x",
					"choices": append(objects(25, map[string]any{"name": "a", "value": "a"}), map[string]any{"name": "b", "value": repeat(101)})},
			}}}},
			[]at{{"/options/0/options/0/choices", "choices"}, {"/options/0/options/0/choices/25/value", "choice-value"}}},
		{"a partial command edit", "PATCH", commandsPath + "/1600000000000000006", map[string]any{"default_member_permissions": "0"}, nil},
		{"a command edit with a bad name", "PATCH", guildCmdPath + "/1600000000000000006", map[string]any{"name": "Film"},
			[]at{{"/name", "command-name"}}},
		{"not JSON", "POST", callbackPath, "{", []at{{"", "body"}}},
		{"a route without limits", "POST", "/api/v9/channels/" + chanID + "/typing", "", nil},
		{"a delete", "DELETE", originalPath, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, ok := tc.body.(string)
			if !ok {
				body = string(mustJSON(t, tc.body))
			}
			err := discordspec.CheckLimits(tc.method, tc.path, []byte(body))
			if diff := cmp.Diff(tc.want, places(err)); diff != "" {
				t.Errorf("violations (-want +got):\n%s\nerror: %v", diff, err)
			}
			if err != nil && strings.Contains(err.Error(), token) {
				t.Errorf("the error shows the interaction token: %v", err)
			}
		})
	}
}

// discordgo sends "parse": null for a zero MessageAllowedMentions, which
// lets Discord's defaults ping: CheckLimits must catch it.
func TestCheckLimits_discordgoZeroAllowedMentions(t *testing.T) {
	body := mustJSON(t, discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "hi", AllowedMentions: &discordgo.MessageAllowedMentions{}},
	})
	err := discordspec.CheckLimits("POST", callbackPath, body)
	if diff := cmp.Diff([]at{{"/data/allowed_mentions/parse", "allowed-mentions"}}, places(err)); diff != "" {
		t.Errorf("violations (-want +got):\n%s\nbody: %s", diff, body)
	}
}

func BenchmarkCheckLimits(b *testing.B) {
	reqs := validRequests(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range reqs {
			if err := discordspec.CheckLimits(r.method, r.path, r.body); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/body")
}
