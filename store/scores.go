package store

// Trivia scores: one record per guild and user, changed only inside the transaction that
// records the answer that earned it, so no acknowledged answer can be lost to a
// read-then-write race and a crash can never leave points without their answer (or an
// answer without its points).
//
// Layout (all buckets are the trivia's own; reseeding never touches them):
//
//	trivia-scores  / <guild ID> / <user ID>          → encoded Score
//	trivia-answers / <game ID>  / <user ID> 0x00 <q> → JSON Answer (q is a big-endian uint16)

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketTriviaScores  = []byte("trivia-scores")
	bucketTriviaAnswers = []byte("trivia-answers")
)

// ErrAnswered is returned by AnswerLog.Record when the user already has an answer stored
// for that question of that game.
var ErrAnswered = errors.New("already answered")

// Answer is one player's acknowledged answer to one question of one game.
type Answer struct {
	Guild string `json:"guild"`
	Game  string `json:"game"`
	// Question is the question's position in the game, from 0.
	Question   int    `json:"q"`
	QuestionID string `json:"question"`
	User       string `json:"user"`
	Correct    bool   `json:"correct"`
	Points     int    `json:"points"`
	// Streak is how many right answers in a row this one ends (0 when it is wrong).
	Streak int       `json:"streak"`
	At     time.Time `json:"at"`
}

// Score is one user's trivia record in one guild, or summed over every guild.
type Score struct {
	User       string
	Points     int64
	Correct    int64
	Answered   int64
	Games      int64
	BestStreak int64
}

// Ranked is a Score with its place on a leaderboard; Rank is 0 for a user with no score.
type Ranked struct {
	Score
	Rank int
}

// scoreVersion prefixes encoded scores so the layout can change later.
const scoreVersion = 1

func encodeScore(sc Score) []byte {
	b := make([]byte, 1, 1+5*binary.MaxVarintLen64)
	b[0] = scoreVersion
	for _, v := range [...]int64{sc.Points, sc.Correct, sc.Answered, sc.Games, sc.BestStreak} {
		b = binary.AppendVarint(b, v)
	}
	return b
}

func decodeScore(user string, b []byte) (Score, error) {
	if len(b) == 0 || b[0] != scoreVersion {
		return Score{}, fmt.Errorf("score of %s: %w", user, errCorruptTrivia)
	}
	b = b[1:]
	var v [5]int64
	for i := range v {
		x, n := binary.Varint(b)
		if n <= 0 {
			return Score{}, fmt.Errorf("score of %s: %w", user, errCorruptTrivia)
		}
		v[i], b = x, b[n:]
	}
	return Score{User: user, Points: v[0], Correct: v[1], Answered: v[2], Games: v[3], BestStreak: v[4]}, nil
}

var errCorruptTrivia = errors.New("corrupt trivia record")

// answerKey is where an answer lives inside its game's bucket: the user first, so one
// cursor seek finds whether the user has answered anything in the game yet.
func answerKey(user string, q int) []byte {
	k := make([]byte, 0, len(user)+3)
	k = append(k, user...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint16(k, uint16(q))
}

func validAnswer(a Answer) error {
	switch {
	case a.Guild == "" || a.Game == "" || a.User == "":
		return errors.New("store: answer needs a guild, a game and a user")
	case strings.IndexByte(a.User, 0) >= 0:
		return errors.New("store: user ID contains a NUL byte")
	case a.Question < 0 || a.Question > 0xffff:
		return fmt.Errorf("store: question index %d out of range", a.Question)
	case a.Points < 0:
		return fmt.Errorf("store: negative points %d", a.Points)
	}
	return nil
}

// preparedAnswer is a valid answer with its key and record already encoded. Encoding
// happens before the write transaction, so bbolt's single writer spends its time only on
// the puts and the commit, and answers queued behind it wait less.
type preparedAnswer struct {
	a   Answer
	key []byte
	rec []byte
}

func prepareAnswer(a Answer) (preparedAnswer, error) {
	if err := validAnswer(a); err != nil {
		return preparedAnswer{}, err
	}
	rec, err := json.Marshal(a)
	if err != nil {
		return preparedAnswer{}, err
	}
	return preparedAnswer{a: a, key: answerKey(a.User, a.Question), rec: rec}, nil
}

// recordAnswerTx stores p and adds it to the user's score, in tx. It returns ErrAnswered,
// having written nothing, when the user already answered that question; any other error
// means tx must be rolled back.
func recordAnswerTx(tx *bolt.Tx, p preparedAnswer) error {
	a, key := p.a, p.key
	answers, err := tx.CreateBucketIfNotExists(bucketTriviaAnswers)
	if err != nil {
		return err
	}
	game, err := answers.CreateBucketIfNotExists([]byte(a.Game))
	if err != nil {
		return err
	}
	if game.Get(key) != nil {
		return ErrAnswered
	}
	prefix := key[:len(a.User)+1]
	k, _ := game.Cursor().Seek(prefix)
	firstInGame := !bytes.HasPrefix(k, prefix)
	if err := game.Put(key, p.rec); err != nil {
		return err
	}

	scores, err := tx.CreateBucketIfNotExists(bucketTriviaScores)
	if err != nil {
		return err
	}
	guild, err := scores.CreateBucketIfNotExists([]byte(a.Guild))
	if err != nil {
		return err
	}
	sc := Score{User: a.User}
	if b := guild.Get([]byte(a.User)); b != nil {
		if sc, err = decodeScore(a.User, b); err != nil {
			return err
		}
	}
	sc.Points += int64(a.Points)
	sc.Answered++
	if a.Correct {
		sc.Correct++
	}
	if firstInGame {
		sc.Games++
	}
	sc.BestStreak = max(sc.BestStreak, int64(a.Streak))
	return guild.Put([]byte(a.User), encodeScore(sc))
}

// AnswerLog records acknowledged answers with group commit: an answer that arrives while
// no commit is running is committed (and fsynced) at once by its own caller, and answers
// that arrive during a commit all go into the next one. A lone answer therefore costs one
// commit and no added delay (bbolt's Batch would wait MaxBatchDelay first), and many
// concurrent answers share commits. Record returns only after its answer's commit, so an
// acknowledgement sent after it is honest. Make one AnswerLog per Store and share it.
type AnswerLog struct {
	s *Store

	mu      sync.Mutex
	queue   []*queuedAnswer
	running bool // someone is committing, and will take the queue before stopping
}

type queuedAnswer struct {
	p    preparedAnswer
	done chan error
}

// maxGroup bounds how many answers share one transaction, so one commit stays short.
const maxGroup = 1000

// NewAnswerLog returns the answer log for s.
func NewAnswerLog(s *Store) *AnswerLog { return &AnswerLog{s: s} }

// Record stores a and adds its points to the user's score in the guild, in one
// transaction, and returns after that transaction has committed. It returns ErrAnswered
// when the user already has an answer to that question of that game.
func (l *AnswerLog) Record(a Answer) error {
	p, err := prepareAnswer(a)
	if err != nil {
		return err
	}
	q := &queuedAnswer{p: p, done: make(chan error, 1)}
	l.mu.Lock()
	l.queue = append(l.queue, q)
	if l.running {
		l.mu.Unlock()
		return <-q.done
	}
	// Nobody is committing, so the queue held nothing before q: commit it here, without
	// a goroutine switch, then leave whatever queued meanwhile to a new committer so
	// this caller's latency stays one commit.
	l.running = true
	l.mu.Unlock()
	l.commit(l.takeGroup())
	l.mu.Lock()
	if len(l.queue) > 0 {
		go l.commitLoop()
	} else {
		l.running = false
	}
	l.mu.Unlock()
	return <-q.done
}

// takeGroup removes up to maxGroup answers from the queue; when it is empty it marks the
// log idle and returns nil.
func (l *AnswerLog) takeGroup() []*queuedAnswer {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := min(len(l.queue), maxGroup)
	if n == 0 {
		l.running = false
		return nil
	}
	group := slices.Clone(l.queue[:n])
	l.queue = slices.Delete(l.queue, 0, n)
	return group
}

// commitLoop commits queued answers until the queue is empty.
func (l *AnswerLog) commitLoop() {
	for group := l.takeGroup(); group != nil; group = l.takeGroup() {
		l.commit(group)
	}
}

// commit stores group in one transaction. When that transaction fails, each answer is
// retried in a transaction of its own, so one bad answer cannot fail the others; the
// failed transaction rolled back, so a retry never counts an answer twice.
func (l *AnswerLog) commit(group []*queuedAnswer) {
	results := make([]error, len(group))
	err := l.s.db.Update(func(tx *bolt.Tx) error {
		for i, q := range group {
			err := recordAnswerTx(tx, q.p)
			if err != nil && !errors.Is(err, ErrAnswered) {
				return err
			}
			results[i] = err
		}
		return nil
	})
	if err != nil && len(group) > 1 {
		for _, q := range group {
			q.done <- l.s.recordPreparedAlone(q.p)
		}
		return
	}
	for i, q := range group {
		if err != nil {
			q.done <- err
		} else {
			q.done <- results[i]
		}
	}
}

// recordAnswerAlone stores a in a transaction of its own.
func (s *Store) recordAnswerAlone(a Answer) error {
	p, err := prepareAnswer(a)
	if err != nil {
		return err
	}
	return s.recordPreparedAlone(p)
}

// recordPreparedAlone stores p in a transaction of its own.
func (s *Store) recordPreparedAlone(p preparedAnswer) error {
	var result error
	err := s.db.Update(func(tx *bolt.Tx) error {
		err := recordAnswerTx(tx, p)
		if errors.Is(err, ErrAnswered) {
			result = err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return result
}

// Score returns user's score in guild, or ErrNotFound when they have none.
func (s *Store) Score(guild, user string) (Score, error) {
	var sc Score
	err := s.db.View(func(tx *bolt.Tx) error {
		b := nestedBucket(tx, bucketTriviaScores, guild)
		if b == nil {
			return ErrNotFound
		}
		v := b.Get([]byte(user))
		if v == nil {
			return ErrNotFound
		}
		var err error
		sc, err = decodeScore(user, v)
		return err
	})
	return sc, err
}

// nestedBucket returns the sub-bucket name of the top-level bucket top, or nil.
func nestedBucket(tx *bolt.Tx, top []byte, name string) *bolt.Bucket {
	b := tx.Bucket(top)
	if b == nil || name == "" {
		return nil
	}
	return b.Bucket([]byte(name))
}

// Scores returns every score in guild, or every user's scores summed over all guilds
// (best streak: the highest) when guild is empty; unordered.
func (s *Store) Scores(guild string) ([]Score, error) {
	var out []Score
	err := s.db.View(func(tx *bolt.Tx) error {
		if guild != "" {
			b := nestedBucket(tx, bucketTriviaScores, guild)
			if b == nil {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				sc, err := decodeScore(string(k), v)
				out = append(out, sc)
				return err
			})
		}
		top := tx.Bucket(bucketTriviaScores)
		if top == nil {
			return nil
		}
		sum := make(map[string]*Score)
		err := top.ForEachBucket(func(g []byte) error {
			return top.Bucket(g).ForEach(func(k, v []byte) error {
				sc, err := decodeScore(string(k), v)
				if err != nil {
					return err
				}
				t := sum[sc.User]
				if t == nil {
					t = &Score{User: sc.User}
					sum[sc.User] = t
				}
				t.Points += sc.Points
				t.Correct += sc.Correct
				t.Answered += sc.Answered
				t.Games += sc.Games
				t.BestStreak = max(t.BestStreak, sc.BestStreak)
				return nil
			})
		})
		for _, t := range sum {
			out = append(out, *t)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Leaderboard returns the top n scores in guild (all guilds when guild is empty), highest
// points first, and user's own place. Equal points share a rank; ties are listed by more
// right answers, then by user ID, so the order is stable. me.Rank is 0 when user has no
// score.
func (s *Store) Leaderboard(guild string, n int, user string) (top []Ranked, me Ranked, err error) {
	all, err := s.Scores(guild)
	if err != nil {
		return nil, Ranked{}, err
	}
	slices.SortFunc(all, func(a, b Score) int {
		switch {
		case a.Points != b.Points:
			return cmpDesc(a.Points, b.Points)
		case a.Correct != b.Correct:
			return cmpDesc(a.Correct, b.Correct)
		}
		return strings.Compare(a.User, b.User)
	})
	me = Ranked{Score: Score{User: user}}
	rank := 0
	for i, sc := range all {
		if i == 0 || sc.Points != all[i-1].Points {
			rank = i + 1
		}
		if i < n {
			top = append(top, Ranked{Score: sc, Rank: rank})
		}
		if sc.User == user {
			me = Ranked{Score: sc, Rank: rank}
		}
	}
	return top, me, nil
}

func cmpDesc(a, b int64) int {
	if a > b {
		return -1
	}
	return 1
}

// ResetScores deletes every score in guild and returns how many users had one. Stored
// answers stay until they age out, so a game running during the reset goes on normally.
func (s *Store) ResetScores(guild string) (int, error) {
	if guild == "" {
		return 0, errors.New("store: reset scores needs a guild")
	}
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		top := tx.Bucket(bucketTriviaScores)
		if top == nil || top.Bucket([]byte(guild)) == nil {
			return nil
		}
		n = top.Bucket([]byte(guild)).Stats().KeyN
		return top.DeleteBucket([]byte(guild))
	})
	return n, err
}

// Answers returns the stored answers of game, or of every game when game is empty, in key
// order. Answers of finished games are kept for AnswerRetention.
func (s *Store) Answers(game string) ([]Answer, error) {
	var out []Answer
	err := s.db.View(func(tx *bolt.Tx) error {
		top := tx.Bucket(bucketTriviaAnswers)
		if top == nil {
			return nil
		}
		each := func(g []byte) error {
			b := top.Bucket(g)
			if b == nil {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				var a Answer
				if err := json.Unmarshal(v, &a); err != nil {
					return fmt.Errorf("answer %q in game %s: %w", k, g, err)
				}
				out = append(out, a)
				return nil
			})
		}
		if game != "" {
			return each([]byte(game))
		}
		return top.ForEachBucket(each)
	})
	return out, err
}
