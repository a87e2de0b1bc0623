package discordspec_test

import (
	"fmt"

	"filmbot/internal/discordspec"
)

func ExampleCheckLimits() {
	body := `{"type":4,"data":{"content":"Who directed it?","embeds":[{"title":"Comrade Kim Goes Flying","fields":[{"name":"Director","value":""}]}]}}`
	err := discordspec.CheckLimits("POST", "/api/v10/interactions/1/secret-token/callback", []byte(body))
	fmt.Println(err)
	// Output:
	// POST /interactions/{interaction_id}/{interaction_token}/callback (limits): 2 violations
	// 	/data/embeds/0/fields/0/value: 0 characters, fewer than 1 [embed-field-value]
	// 	/data/allowed_mentions: missing: every message sets "allowed_mentions":{"parse":[]} [allowed-mentions]
}
