package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
)

// handlerMargin is kept back from the reply window for sending the reply itself.
const handlerMargin = 500 * time.Millisecond

// serve answers one interaction: convert, rate-limit, route through the command set, send
// the first response before the reply window closes, then run any slow work. It runs in its
// own goroutine and recovers from any panic, in filmbot's code or a handler's, answering
// "something went wrong (ref …)" and logging the stack once. Every reply's wording, fit
// and mentions come from package commands; serve only encodes and sends. log is the bot's
// logger, with the shard the interaction came on when the bot is sharded.
func (b *Bot) serve(i *discordgo.Interaction, received time.Time, log *slog.Logger) {
	replyBy := received.Add(b.cfg.ReplyWindow)
	ctx, cancel := context.WithDeadline(b.work, replyBy)
	defer cancel()
	b.served.Add(1)

	answered := false // whether the first response has been attempted
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		ref := commands.NewRef()
		b.panicked.Add(1)
		log.Error("interaction handler panicked", "ref", ref, "interaction", i.ID, "type", int(i.Type),
			"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		failure := commands.Failure(commands.KindOf(i.Type), ref)
		if !answered {
			b.observe(nil, string(commands.OutcomeInternal), received)
			b.respond(ctx, log, i, failure.InteractionResponse)
			return
		}
		b.editOriginal(log, i, failure.Data)
	}()

	req, err := NewRequest(i)
	if err != nil {
		log.Warn("unreadable interaction", "interaction", i.ID, "type", int(i.Type), "err", err)
		answered = true
		b.respond(ctx, log, i, commands.Malformed(commands.KindOf(i.Type)).InteractionResponse)
		return
	}
	if req.Kind != commands.KindAutocomplete {
		if ok, wait := b.limiter.allow(req.User.ID, received); !ok {
			answered = true
			b.observe(req, outcomeRateLimited, received)
			b.respond(ctx, log, i, commands.SlowDown(req.Kind, wait).InteractionResponse)
			return
		}
	}

	hctx, hcancel := context.WithDeadline(ctx, replyBy.Add(-handlerMargin))
	resp := b.set.Handle(hctx, req)
	hcancel()
	if resp.InteractionResponse == nil {
		ref := commands.NewRef()
		log.Error("command set returned no response", "ref", ref, "command", req.Name, "kind", int(req.Kind))
		resp = commands.Failure(req.Kind, ref)
	}
	answered = true
	b.observe(req, string(resp.Outcome), received)
	err = b.respond(ctx, log, i, resp.InteractionResponse)
	if log.Enabled(ctx, slog.LevelDebug) {
		log.Debug("answered", "interaction", i.ID, "command", req.Name, "kind", int(req.Kind),
			"user", req.User.ID, "guild", req.GuildID, "took", time.Since(received), "err", err)
	}
	if err != nil || resp.Then == nil {
		return
	}

	// Slow work: the deferral is out; run it within the follow-up window and put its
	// result in place of the "thinking…" message.
	wctx, wcancel := context.WithTimeout(b.work, b.cfg.FollowupWindow)
	defer wcancel()
	ephemeral := resp.Data != nil && resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0
	progress := func(text string) { b.followup(wctx, log, i, text, ephemeral) }
	data := resp.Then(wctx, progress)
	if data == nil {
		ref := commands.NewRef()
		log.Error("slow work returned nothing", "ref", ref, "command", req.Name)
		data = commands.Failure(req.Kind, ref).Data
	}
	b.editOriginal(log, i, data)
}

// respond sends an interaction's first response. The context ends when the reply window
// does, so a 429 storm or a hung connection cannot hold the handler past it.
func (b *Bot) respond(ctx context.Context, log *slog.Logger, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	body, ctype, err := encodeResponse(resp)
	if err != nil {
		log.Error("encode interaction response", "interaction", i.ID, "err", err)
		return err
	}
	url := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	if ctype == "application/json" {
		_, err = b.rest.tokenCall(ctx, "POST", url, body)
	} else {
		err = b.rest.do(ctx, func(opts ...discordgo.RequestOption) error {
			bucket := discordgo.NewRatelimiter().LockBucket("interaction")
			_, err := b.session.RequestWithLockedBucket("POST", url, ctype, body, bucket, 0, opts...)
			return err
		})
	}
	if err != nil {
		log.Warn("interaction response failed", "interaction", i.ID, "err", err)
	}
	return err
}

// followup posts an interim message (progress of slow work).
func (b *Bot) followup(ctx context.Context, log *slog.Logger, i *discordgo.Interaction, text string, ephemeral bool) {
	body, err := json.Marshal(commands.Followup(text, ephemeral))
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, b.cfg.RESTTimeout)
	defer cancel()
	if _, err := b.rest.tokenCall(ctx, "POST", discordgo.EndpointWebhookToken(b.appFor(i), i.Token), body); err != nil {
		log.Warn("follow-up failed", "interaction", i.ID, "err", err)
	}
}

// editOriginal replaces the original response (normally a deferral) with data. It gets its
// own deadline: slow work that ended because shutdown cancelled it still reports so.
func (b *Bot) editOriginal(log *slog.Logger, i *discordgo.Interaction, data *discordgo.InteractionResponseData) {
	body, err := json.Marshal(commands.Edit(data))
	if err != nil {
		log.Error("encode response edit", "interaction", i.ID, "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.cfg.RESTTimeout)
	defer cancel()
	url := discordgo.EndpointWebhookMessage(b.appFor(i), i.Token, "@original")
	if _, err := b.rest.tokenCall(ctx, "PATCH", url, body); err != nil {
		log.Warn("editing the response failed", "interaction", i.ID, "err", err)
	}
}

func (b *Bot) appFor(i *discordgo.Interaction) string {
	if i.AppID != "" {
		return i.AppID
	}
	return b.AppID()
}

// autocompleteResult is the body of an autocomplete answer. discordgo's response type
// would also send empty message fields, and would drop an empty choices list, which Discord
// requires.
type autocompleteResult struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data struct {
		Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	} `json:"data"`
}

// encodeResponse returns the JSON (or multipart, with files) body of a first response,
// as package commands made it (fitted, allowed_mentions set).
func encodeResponse(resp *discordgo.InteractionResponse) (body []byte, contentType string, err error) {
	if resp.Type == discordgo.InteractionApplicationCommandAutocompleteResult {
		var ac autocompleteResult
		ac.Type = resp.Type
		ac.Data.Choices = []*discordgo.ApplicationCommandOptionChoice{}
		if resp.Data != nil && resp.Data.Choices != nil {
			ac.Data.Choices = resp.Data.Choices
		}
		body, err = json.Marshal(ac)
		return body, "application/json", err
	}
	if resp.Data != nil && len(resp.Data.Files) > 0 {
		contentType, body, err = discordgo.MultipartBodyWithJSON(resp, resp.Data.Files)
		return body, contentType, err
	}
	body, err = json.Marshal(resp)
	return body, "application/json", err
}

// salvage reads the few fields needed to answer an interaction whose full JSON discordgo
// could not decode (a malformed option, a permissions string that is not a number); the
// result has no data, so NewRequest refuses it and the user gets a short error.
func salvage(raw json.RawMessage) *discordgo.Interaction {
	var v struct {
		ID    string                    `json:"id"`
		AppID string                    `json:"application_id"`
		Type  discordgo.InteractionType `json:"type"`
		Token string                    `json:"token"`
	}
	if json.Unmarshal(raw, &v) != nil || v.ID == "" || v.Token == "" {
		return nil
	}
	return &discordgo.Interaction{ID: v.ID, AppID: v.AppID, Type: v.Type, Token: v.Token}
}

// Stats are counters for tests and metrics.
type Stats struct {
	Served   int64 // interactions taken
	Panicked int64 // handler panics recovered
	InFlight int64 // interactions being served now
}

// Stats returns the bot's counters.
func (b *Bot) Stats() Stats {
	return Stats{Served: b.served.Load(), Panicked: b.panicked.Load(), InFlight: b.running.Load()}
}
