package answer

// Ask answers question. film, when not empty, is a film ID, title or alias that scopes the
// question, as the /ask film option does.
func (ix *Index) Ask(question, film string) Answer {
	return ix.ask(question, film, "", nil)
}

// AskAbout answers question as Ask does, where contextFilm (an ID, title or alias; may be
// empty) is the film the conversation is about: a question that names no film, and no
// one only another film has, is about it ("who directed it?"), while one that names a film
// is about that film. film, as in Ask, scopes the question whatever it names.
func (ix *Index) AskAbout(question, film, contextFilm string) Answer {
	return ix.ask(question, film, contextFilm, nil)
}

// candidate is one item considered for an answer, as TestFit sees it: its features and
// the reply it would give.
type candidate struct {
	f     features
	reply Answer
}

// ask answers question; collect, when not nil, is shown every candidate the model weighs
// (TestFit labels them to fit the model).
func (ix *Index) ask(question, film, contextFilm string, collect func([]candidate)) Answer {
	q := ix.parse(question)
	if film == "" && ix.slotUnknown(&q, q.slot) {
		return ix.noSuchFilm(q.slot)
	}
	if film == "" && len(q.films) > 1 {
		// Films of the same title: the year the question gives picks one, and without
		// one the reply lists them rather than guessing.
		if fi, ok := ix.byYear(q.films, q.years); ok {
			q.films = q.films[:1]
			q.films[0] = fi
		} else if a, same := ix.whichYear(q.films); same {
			return a
		}
	}
	scope := int32(-1)
	fromContext := false
	if film != "" {
		fi, ok := ix.lookupFilm(film)
		if !ok {
			return ix.notInData("")
		}
		scope = fi
	}
	if scope < 0 && len(q.films) > 0 && !q.weakFilm {
		scope = q.films[0]
	}
	if scope < 0 {
		scope = ix.entityFilm(&q)
	}
	if scope < 0 && contextFilm != "" && len(q.films) == 0 {
		if fi, ok := ix.lookupFilm(contextFilm); ok {
			scope = fi // "who directed it?" after the conversation named the film
			fromContext = true
		}
	}
	if scope < 0 && len(q.films) > 0 {
		scope = q.films[0]
	}
	if scope < 0 && len(ix.films) == 1 {
		scope = 0
	}
	if scope >= 0 {
		q.chars = keepChars(ix, q.chars, scope)
		q.persons = keepPersons(ix, q.persons, scope)
		q.dropYear(ix.films[scope].f.Year) // "betrayed (1954)": the year names the film
	}
	if q.unanswerable || (scope >= 0 && q.qt == qWho && len(q.chars)+len(q.persons) == 0 && q.onlyTitle(ix, scope)) {
		// "who is Comrade Kim?": a title names no one
		return ix.dontKnow(scope, question)
	}

	var top [topN]scored
	n := 0
	consider := func(id int32) {
		s := ix.score(&q, &ix.items[id], scope >= 0 && len(q.films) > 0)
		if s < minScore {
			return
		}
		n = insertTop(&top, n, scored{id, s})
	}
	if scope >= 0 {
		for _, id := range ix.films[scope].items {
			if q.exFilm && (ix.items[id].film == scope || ix.mentions(&ix.items[id], ix.films[scope].name)) {
				continue // "what other films…": nothing about this one
			}
			consider(id)
		}
	} else {
		ix.eachCandidate(&q, consider)
	}
	if a, ok := ix.yesNo(&q, question, top[:n]); ok && collect == nil {
		return a
	}
	// Weigh the candidates with the fitted model and keep the likeliest.
	bestAt, bestP, bestTh := -1, 0.0, 1.0
	var cands []candidate
	raw := ix.rawScoresOf(&q, top[:n])
	for i, c := range top[:n] {
		if ix.vetoed(&q, &ix.items[c.id]) {
			continue
		}
		next := 0.0
		if i == 0 && n > 1 {
			next = top[1].s
		}
		f := ix.featuresOf(&q, &ix.items[c.id], c.s, top[0].s, next, i, film != "" || fromContext || len(q.films) > 0 || len(ix.films) == 1, raw)
		if p := probability(&modelWeights, &f); p > bestP {
			bestAt, bestP, bestTh = i, p, answerThreshold(&f)
		}
		if collect != nil {
			cands = append(cands, candidate{f, ix.reply(&ix.items[c.id])})
		}
	}
	if collect != nil {
		collect(cands)
	}
	if bestAt >= 0 && bestP >= bestTh {
		it := &ix.items[top[bestAt].id]
		if scope < 0 && len(ix.films) > 1 && (!ix.pinned(&q, it) || ix.ambiguous(&q, it, top[bestAt].s, top[bestAt+1:n])) {
			return ix.whichFilm()
		}
		return ix.reply(it)
	}
	if film == "" && len(q.films) == 0 {
		if name := unknownName(question, ix); name != "" {
			return ix.notInData(name)
		}
	}
	return ix.dontKnow(scope, question)
}

// Films returns the titles of every film the index knows, in catalog order.
func (ix *Index) Films() []string {
	out := make([]string, len(ix.films))
	for i, f := range ix.films {
		out[i] = f.f.Title
	}
	return out
}
