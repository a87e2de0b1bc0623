package answer

// Ask answers question. film, when not empty, is a film ID, title or alias that scopes the
// question, as the /ask film option does.
func (ix *Index) Ask(question, film string) Answer {
	q := ix.parse(question)
	scope := int32(-1)
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
	if scope < 0 && len(q.films) > 0 {
		scope = q.films[0]
	}
	if scope < 0 && len(ix.films) == 1 {
		scope = 0
	}
	if scope >= 0 {
		q.chars = keepChars(ix, q.chars, scope)
		q.persons = keepPersons(ix, q.persons, scope)
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
	for i, c := range top[:n] {
		it := &ix.items[c.id]
		if !ix.accept(&q, it) {
			continue
		}
		if scope < 0 && len(ix.films) > 1 && (!ix.pinned(&q, it) || ix.ambiguous(&q, it, c.s, top[i+1:n])) {
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
