// Package discordspec checks the REST request bodies the bot sends against
// Discord's own OpenAPI description and against the Discord limits listed in
// DESIGN.md, so that an end-to-end test against the fake Discord fails when
// the bot sends something the real Discord would reject.
//
// # Basics
//
// Load reads Discord's OpenAPI 3.1 description (openapi.json from the
// discord-api-spec repository) and compiles every request-body schema once;
// Spec.ValidateRequest then checks a recorded request (method, path as the
// server saw it, body) against the operation the path matches. ForTest finds
// the description for a test and skips the test when it is missing, except
// under CI=true where a missing description fails the test. The spec is read
// at run time and never copied into this repository.
//
// CheckLimits needs no spec: it checks the limits from DESIGN.md (message
// content, embeds, components, autocomplete choices, command names) and that
// every message body carries "allowed_mentions":{"parse":[]}. Several of
// those limits are in the spec too; the ones it lacks are listed on
// CheckLimits.
//
// Both report every problem found as a Violation whose Pointer is a JSON
// pointer into the body (RFC 6901, "" for the body itself) and whose Rule is
// a stable name (a JSON Schema keyword, or a limit name), so tests can assert
// on where and what without matching message prose.
//
// # Caveats
//
// String lengths (maxLength, minLength and the DESIGN limits) are counted in
// Unicode code points, which is what JSON Schema defines and what Discord's
// API counts; an emoji outside the Basic Multilingual Plane is one character,
// not two UTF-16 units.
//
// Where a body matches none of the alternatives of a oneOf or anyOf, the
// violations reported are those of the alternative that came closest:
// alternatives whose discriminating field (for Discord, nearly always
// "type") does not match are set aside first. oneOf is checked strictly
// (exactly one alternative must match); Discord's spec marks its overlapping
// unions (interaction callbacks, webhook executes, autocomplete data) as
// anyOf with "x-discord-union": "oneOf", so strict oneOf gives no false
// failures on the bodies the bot sends.
//
// Discord's spec types a few permission bitfields (default_member_permissions)
// as integers larger than a JSON double holds exactly; Discord accepts them
// as decimal strings, and discordgo sends them so. An integer-typed value is
// therefore accepted as a decimal string when the schema's range goes past
// 2^53.
//
// The spec almost never sets additionalProperties to false on request
// bodies, so a misspelt field name passes validation (as Discord ignores
// it). Formats checked: int32, int64 (range), date-time (RFC 3339), uri
// (absolute). Other formats are annotations.
package discordspec
