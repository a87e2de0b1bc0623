package trivia

import (
	"math"
	"time"
)

// Scoring, kept small so that knowing the answer matters far more than clicking first.
const (
	// pointsRight is what a right answer is worth.
	pointsRight = 10
	// maxSpeedBonus is added for a right answer given the moment the question appears,
	// falling linearly to 0 at the deadline.
	maxSpeedBonus = 5
	// streakStep is added per right answer in a row before this one...
	streakStep = 2
	// maxStreakBonus ...up to this much.
	maxStreakBonus = 6
)

// ScoringHelp explains scoring to players; /help shows it and docs/trivia.md says the same.
const ScoringHelp = "A right answer scores 10 points, plus a speed bonus of up to 5 that " +
	"shrinks evenly to 0 as the timer runs out, plus 2 for each right answer in a row " +
	"just before it (at most +6, from the fourth in a row on). A wrong or missing answer " +
	"scores nothing, costs nothing and ends your streak. Each player answers each question " +
	"once; your answer counts as soon as you see \"Locked in\"."

// points returns what an answer earns. left is the time that was left on the question,
// total the time it had, and streak the player's right answers in a row before it.
func points(correct bool, left, total time.Duration, streak int) int {
	if !correct {
		return 0
	}
	speed := 0
	if total > 0 && left > 0 {
		speed = int(math.Round(maxSpeedBonus * float64(min(left, total)) / float64(total)))
	}
	return pointsRight + speed + min(streak*streakStep, maxStreakBonus)
}
