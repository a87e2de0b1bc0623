package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/bot/fakediscord"
)

func userObject(id string) map[string]any {
	return map[string]any{"id": id, "username": "someone", "discriminator": "0"}
}

// TestReseed_refusedForEveryoneButTheOwnerAtHome sends /reseed, and everything that could
// pass for it, from people and places that must not reseed: each is refused with an
// ephemeral reply and the store keeps its generation.
func TestReseed_refusedForEveryoneButTheOwnerAtHome(t *testing.T) {
	h := start(t, setup{})
	f := h.fake
	seedFile := []byte("[[article]]\nid = \"a\"\npublisher = \"P\"\nheadline = \"H\"\n")

	tests := []struct {
		name string
		in   func() fakediscord.Interaction
	}{
		{"DM without member", func() fakediscord.Interaction {
			return f.Command(who(stranger, "", ""), "reseed")
		}},
		{"owner in a DM", func() fakediscord.Interaction {
			return f.Command(who(owner, "", ""), "reseed")
		}},
		{"member without permissions at home", func() fakediscord.Interaction {
			return f.Command(who(stranger, homeGuild, "0"), "reseed")
		}},
		{"administrator in another guild", func() fakediscord.Interaction {
			return f.Command(who(stranger, otherGuild, adminPerms), "reseed")
		}},
		{"administrator at home who is not an owner", func() fakediscord.Interaction {
			return f.Command(who(stranger, homeGuild, adminPerms), "reseed")
		}},
		{"every permission at home, not an owner", func() fakediscord.Interaction {
			return f.Command(who(stranger, homeGuild, allPerms), "reseed")
		}},
		{"forged permissions: max int64", func() fakediscord.Interaction {
			return f.Command(who(stranger, homeGuild, hugePerms), "reseed")
		}},
		{"forged permissions: not a number", func() fakediscord.Interaction {
			return f.Command(who(stranger, homeGuild, "administrator"), "reseed")
		}},
		{"forged permissions: past 64 bits", func() fakediscord.Interaction {
			return f.Command(who(owner, homeGuild, "999999999999999999999999"), "reseed")
		}},
		{"owner in another guild", func() fakediscord.Interaction {
			return f.Command(who(owner, otherGuild, adminPerms), "reseed")
		}},
		{"owner in the development guild", func() fakediscord.Interaction {
			return f.Command(who(owner, devGuild, adminPerms), "reseed")
		}},
		{"guild interaction without member, user says owner", func() fakediscord.Interaction {
			in := f.Command(who(stranger, homeGuild, adminPerms), "reseed")
			delete(in, "member")
			in["user"] = userObject(owner)
			return in
		}},
		{"member is a stranger, user field says owner", func() fakediscord.Interaction {
			in := f.Command(who(stranger, homeGuild, adminPerms), "reseed")
			in["user"] = userObject(owner)
			return in
		}},
		{"DM whose forged member says owner", func() fakediscord.Interaction {
			in := f.Command(who(stranger, "", ""), "reseed")
			in["member"] = map[string]any{"user": userObject(owner), "permissions": adminPerms, "roles": []any{}}
			return in
		}},
		{"stranger with a seed file", func() fakediscord.Interaction {
			return f.Attach(f.Command(who(stranger, homeGuild, adminPerms), "reseed"), "file", "evil.toml", seedFile)
		}},
		{"button from a stranger", func() fakediscord.Interaction {
			return f.Button(who(stranger, homeGuild, adminPerms), "reseed:run")
		}},
		{"button from the owner", func() fakediscord.Interaction {
			return f.Button(who(owner, homeGuild, adminPerms), "reseed:run")
		}},
		{"modal from the owner", func() fakediscord.Interaction {
			return f.Modal(who(owner, homeGuild, adminPerms), "reseed:confirm", map[string]string{"ok": "yes"})
		}},
		{"autocomplete from the owner", func() fakediscord.Interaction {
			return f.Autocomplete(who(owner, homeGuild, adminPerms), "reseed", fakediscord.Focused(fakediscord.Str("file", "x")))
		}},
		{"command data on a component interaction", func() fakediscord.Interaction {
			in := f.Command(who(owner, homeGuild, adminPerms), "reseed")
			in["type"] = int(discordgo.InteractionMessageComponent)
			return in
		}},
		{"ping type carrying command data", func() fakediscord.Interaction {
			in := f.Command(who(owner, homeGuild, adminPerms), "reseed")
			in["type"] = int(discordgo.InteractionPing)
			return in
		}},
	}

	gen0, err := h.store.Generation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in()
			cb := h.interact(in)
			r := cb.Response
			switch r.Type {
			case discordgo.InteractionApplicationCommandAutocompleteResult:
				if len(r.Data.Choices) != 0 {
					t.Errorf("autocomplete offered choices: %s", cb.Body)
				}
			case discordgo.InteractionResponseChannelMessageWithSource:
				if !r.Data.Ephemeral() || r.Data.Text() == "" {
					t.Errorf("refusal is not an ephemeral message: %s", cb.Body)
				}
				checkMessage(t, cb)
			default:
				t.Errorf("response type %v, want an ephemeral refusal (no deferral): %s", r.Type, cb.Body)
			}
			if gen, err := h.store.Generation(context.Background()); err != nil || gen != gen0 {
				t.Errorf("store generation %d (%v), want %d unchanged", gen, err, gen0)
			}
			if n := len(h.fake.FollowupsOf(in)) + len(h.fake.EditsOf(in)); n != 0 {
				t.Errorf("%d follow-ups or edits after a refusal", n)
			}
		})
	}
	if len(tests) < 12 {
		t.Errorf("only %d refusal cases", len(tests))
	}
	if n := h.bot.Stats().Panicked; n != 0 {
		t.Errorf("%d panics", n)
	}

	t.Run("the owner at home succeeds", func(t *testing.T) {
		in := f.Command(who(owner, homeGuild, adminPerms), "reseed")
		cb := h.interact(in)
		if cb.Response.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !cb.Response.Data.Ephemeral() {
			t.Fatalf("owner /reseed: %s, want an ephemeral deferral", cb.Body)
		}
		edit := waitEdit(t, h, in)
		cat := defaultCatalog(t)
		text := edit.Text()
		for _, want := range []string{"Reseeded", pluralCount(len(cat.Films), "film"), pluralCount(len(cat.Facts), "fact")} {
			if !strings.Contains(text, want) {
				t.Errorf("reseed result %q does not say %q", text, want)
			}
		}
		if !edit.MentionsNobody() {
			t.Errorf("edit without allowed_mentions {parse: []}")
		}
		if gen, _ := h.store.Generation(context.Background()); gen != gen0+1 {
			t.Errorf("generation %d after the owner's reseed, want %d", gen, gen0+1)
		}
	})
}

func pluralCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// waitEdit waits for the edit of in's original response and decodes it.
func waitEdit(t *testing.T, h *harness, in fakediscord.Interaction) *fakediscord.ResponseData {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	call, err := h.fake.WaitCall(ctx, "PATCH", "/api/v9/webhooks/"+h.fake.AppID()+"/"+in.Token()+"/messages/@original", 0)
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
	}
	d, err := fakediscord.DecodeData(call.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReseed_ownerWithAttachment(t *testing.T) {
	h := start(t, setup{})
	f := h.fake
	owner := who(owner, homeGuild, adminPerms)
	gen0, _ := h.store.Generation(context.Background())

	t.Run("a bad seed file is reported as file:line and changes nothing", func(t *testing.T) {
		bad := []byte("[[film]]\nid = \"x\"\ntitle = \"\"\nyear = \"nineteen\"\n")
		in := f.Attach(f.Command(owner, "reseed"), "file", "bad.toml", bad)
		h.interact(in)
		text := waitEdit(t, h, in).Text()
		if !strings.Contains(text, "bad.toml:") {
			t.Errorf("reply %q has no bad.toml:line problem", text)
		}
		if gen, _ := h.store.Generation(context.Background()); gen != gen0 {
			t.Errorf("generation %d, want %d unchanged", gen, gen0)
		}
	})
	t.Run("a file over 1 MiB is refused", func(t *testing.T) {
		big := []byte(strings.Repeat("# padding\n", 110000))
		in := f.Attach(f.Command(owner, "reseed"), "file", "big.toml", big)
		cb := h.interact(in)
		if !cb.Response.Data.Ephemeral() || cb.Response.Type != discordgo.InteractionResponseChannelMessageWithSource {
			t.Errorf("oversized file: %s, want an ephemeral refusal", cb.Body)
		}
		if gen, _ := h.store.Generation(context.Background()); gen != gen0 {
			t.Errorf("generation %d, want %d unchanged", gen, gen0)
		}
	})
	t.Run("a file bigger than its stated size stops downloading at the limit", func(t *testing.T) {
		big := []byte(strings.Repeat("# padding\n", 110000))
		in := f.Attach(f.Command(owner, "reseed"), "file", "liar.toml", big)
		// The attachment claims to be small; the download must still stop at 1 MiB.
		att := in["data"].(map[string]any)["resolved"].(map[string]any)["attachments"].(map[string]any)
		for _, a := range att {
			a.(map[string]any)["size"] = 100
		}
		cb := h.interact(in)
		if cb.Response.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("got %s, want a deferral", cb.Body)
		}
		text := waitEdit(t, h, in).Text()
		if !strings.Contains(text, "nothing was changed") {
			t.Errorf("reply %q, want the download refused", text)
		}
		if gen, _ := h.store.Generation(context.Background()); gen != gen0 {
			t.Errorf("generation %d, want %d unchanged", gen, gen0)
		}
	})
}
