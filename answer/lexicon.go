package answer

import "strings"

// The lexicon is the engine's knowledge of English trivia questions: which words carry no
// content, which words mean the same thing, and which words ask for a kind of answer. It is
// the one place to tune understanding: cue lists and synonym groups, never phrasings.

// stopWords carry no content: they neither score nor need covering.
const stopWords = `
a an the and or but nor of to in on at by for with from into onto as than then so
is are was were be been being am isnt wasnt arent werent
do does did doing done dont doesnt didnt
has have had having
i me my mine we us our you your yours he him his she her hers they them their theirs
it its itself this that these those there here
can could would should will shall may might must
what whats who whos whom whose which when where why how wheres whens hows
any some all each every both either neither
not no yes very just only too quite rather
if whether about up out over under again once behind
alongside opposite alone solely exclusively
one ones someone somebody something anything
please tell know let lets show give gives gave given
co much many
yo hey hi hello heya hiya sup pls plz thx thanks ty lol lmao bro dude mate um uh hmm idk btw
tho anyway anyways ok okay im ive id youre thats theres stuff curious wondering wonder
wondered anywhere somewhere everywhere u ur r ya yall kinda sorta gonna
ngl smth sth acc tbh imo imho rn fr lowkey n bruh fam omg pls wanna gotta aight
`

// typeNouns after "which" or "what" say what kind of answer is wanted ("which city"), as
// "where" does, rather than what the answer is about.
const typeNouns = `city town place country nation location`

// anchorConcepts are what a question asks about, not details of it: an answer never
// leaves one of them uncovered, however well it covers the rest.
const anchorConcepts = `cast direct make release watch location plot genre country produce
finance first style influence tone train background theme age job dream rival father mother
grandmother family help friend write found main call character avoid win move quit ask
boxoffice runtime music budget adapt remake sequel`

// commandWords open a request rather than name its topic: "Describe the plot".
const commandWords = `describe explain list name give tell show`

// genericWords are about films and trivia in general: a question may use them freely, so
// they are never what an answer has to cover.
const genericWords = `
film films movie movies picture pictures flick feature motion
fact facts info information detail details article data bot
thing things kind sort type way ways part
name named known year years yr yrs date dates day days month months
two three four five six seven eight nine ten
member members people person persons individual individuals
besides apart aside other others except
basic general overall brief short quick simple rough
really actually exactly also else still ever now even again already
list real actual genuine scene scenes guy guys bloke sentence nutshell
outside elsewhere
`

// softWords are common verbs and modifiers that a fact may say in other words ("joins" a
// team it "wins a place on"). One may go uncovered; nouns never may.
const softWords = `
get gets got getting become becomes became go goes went going gone
make makes made making take takes took taken
join joins joined joining want wants wanted
call calls called describe describes described label labelled dub dubbed
credit credits credited put puts before prior
include includes included contain contains feature features appear appears seem seems
consider considered regard regarded think thought believe remain remains keep keeps
bring brings brought turn turns reach reaches receive received provide provides
allow allows try tries tried decide decides decided choose chose pick picks
need needs needed offer offers offered offering
serve serves served belong belongs belonged involve involves involved involvement end ends ended start starts started beginning begin begins began
eventually finally originally initially initial last later hold holds held
host hosts hosted refer refers referred mean means meant meaning mix mixes mixed combine combines blend
happen happens happened
like use used using
come comes came
hit hits supposed meant intended expected
read reads hear heard learn learned learnt
`

// roleNouns name a person by their relation to a character: a question asking who one is
// needs an answer that names that person, not a fact that merely mentions them.
const roleNouns = `
manager father dad mother mum mom grandmother grandma granny grandfather grandpa
brother sister friend boyfriend girlfriend husband wife son daughter uncle aunt
coach teacher trainer boss lover partner
`

// crewNouns name a job on a film. "Who were the writers?" may be answered by a fact that
// says who they were; "what is the writer's name?" needs a name.
const crewNouns = `
writer screenwriter scriptwriter composer producer cinematographer cinematography editor
director codirector filmmaker actor actress star
`

// monthWords make a text a date.
const monthWords = `january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec`

// numberWords make a text a count.
const numberWords = `one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
eighty ninety hundred thousand million dozen both single`

// durationWords make a text an answer to "how long".
const durationWords = `minute minutes min mins hour hours hr hrs`

// moneyWords make a text an answer to "how much".
const moneyWords = `dollar dollars usd pound pounds gbp sterling euro euros eur yen yuan
franc francs cent cents pence`

// reasonWords make a text an answer to "why".
const reasonWords = `because since why reason reasons due thanks so`

// synonymGroups, one group a line, map words with one meaning in film trivia to one concept, the group's first
// word. Members are stemmed when the lexicon is built, so list base forms.
const synonymGroups = `
cast play portray star act actor actress perform performer role casting starring starred thespian voice voices voiced voicing
direct director directed directing codirect codirector codirected helm helmed helmer directorial
make made filmmaker filmmakers maker create created creator
release released premiere premiered premier debut debuted launch launched drop dropped open opened arrive arrived arrival shown screen screened screening cinema cinemas theatrical unveil unveiled bow bowed theater theaters theatre theatres
watch stream streaming streamed see view viewing available availability online platform service internet rent buy vod access carry carries offer offers site website download downloaded purchase rental watchable streamer catch vod ondemand digital digitally obtain rentable purchasable find
location shoot shot shooting filmed filming set setting backdrop city town locale
plot story storyline synopsis premise summary summarise summarize outline recount about narrative happen happens follow gist tldr rundown lowdown blurb logline recap tale
genre comedy romance romantic rom com romcom drama horror thriller documentary musical western animation animated fantasy category love
country countries nation nationality belgian belgium british britain uk europe european england scotland
produce producer produced producing production coproduce coproduction
finance financed financing fund funded funding funder investment invest invested money bankroll bankrolled pay paid pays investor investors financier financiers sponsor sponsored sponsors cash capital
first notable special unique significant remarkable unusual historic groundbreaking pioneering important distinctive milestone record famous renowned celebrated newsworthy noteworthy breakthrough landmark trailblazing unprecedented trailblazer
style look visual visuals imagery image colour color colourful colorful aesthetic bright technicolour technicolor cinematography photography appearance palette vivid vibrant looks cinematic visually hue hues saturated lush glossy aesthetics
influence inspire inspired inspiration influenced mimic mimics imitate imitates homage resemble reminiscent echo copy copies copied emulate borrow borrows borrowed similar similarity alike comparable compare compared comparison remind reminds evoke evokes nod tribute homages channel channels harks hark
tone mood humour humor funny optimistic cheeky lighthearted happy upbeat positive hopeful cheerful feelgood uplifting humorous comedic witty hilarious laugh laughs joke jokes playful vibe vibes whimsical silly comic feel
train trained training class classes lesson lessons course study studied practice prepare prepared rehearse experience experienced schooling coached tuition workshop workshops taught schooled
background previously formerly
theme themes trope tropes cliche convention conventions propaganda political politics government regime communist communism ideology ideological
age aged twenties thirties teens teenager teenage
classic classics old vintage golden era early earlier throwback retro
job work occupation profession professional career employment gig vocation trade employed employ
dream want wish hope ambition ambitious aspire aspiration goal desire aim yearn objective passion aspires aspired dreamt dreaming
rival nemesis enemy antagonist villain foe adversary opponent competitor clash clashes feud conflict baddie archrival nemeses rivalry archenemy
father dad daddy
mother mum mom mummy mommy
grandmother grandma granny gran nan
family relative relatives parent parents grandparents grandparent folks kin household
help helps helper helped support supports supported supporter supportive assist assisted aid encourage encouraged back backed mentor mentors backing encourages encouragement cheer champion champions
friend friends pal pals
team troupe squad
acrobat acrobats acrobatic acrobatics gymnast gymnastics trapeze tumbling aerial
korea korean koreans dprk
write wrote written writer writers screenwriter screenplay script scriptwriter penned authored author cowrote cowritten
found founded founder establish established
tour tours travel tourism operator
international internationally global worldwide abroad foreign overseas
main lead leading protagonist heroine hero central principal centre centres center centers centred centered
woman women female girl lady
quit leave leaves left abandon abandons abandoned ditch ditches ditched resign resigns
move moves moved moving relocate heads headed migrate
win wins won earn earns earned achieve achieves achieved accomplish succeed succeeds secure secures secured land lands landed
arrogant cocky proud
festival festivals
runtime runtimes length duration
character characters
avoid avoids avoided missing absent lack lacks without steer steers skip skips skipped dodge dodges shun shuns omit omits sidestep sidesteps eschew eschews
wide widely limited broad broadly big bigger small smaller major minor large huge massive
realistic unrealistic implausible improbable plausible believable credible
entire entirely whole wholly completely fully
quality qualities trait traits characteristic characteristics personality attitude sassy bold feisty spirited independent confident assertive
call describe description label dub say says said quote quoted quotes statement comment comments
business company firm agency startup outfit
good nice pleasant pleasing beautiful attractive lovely charming pretty scenic
ask asked challenge challenged task tasked request requested require requires required demand demanded
identity
military army soldier soldiers war warfare militaristic
girlpower feminist feminism empowerment empower empowering empowered
rural countryside village hometown province provincial
payperview free subscription paywall ppv
source sources publisher publish published publication headline headlined headlines outlet magazine newspaper journalist reporter citation
opinion worth worthwhile recommend recommended recommendation review reviews reviewed critic critics overrated underrated opinions
rating ratings rate rated verdict
music composer compose composed composing soundtrack song songs score scored scoring
budget budgets cost costs costing
boxoffice gross grossed grosses grossing takings
adapt adapted adaptation novels book books based basis memoir novel
remake remade remakes
sequel sequels followup prequel
`

// phrases are two- and three-word expressions read as one concept before single words are.
const phrases = `
rom com=genre
come out=release
came out=release
comes out=release
take place=location
takes place=location
took place=location
set up=found
box office=boxoffice
running time=runtime
run time=runtime
main character=main
title character=main
on demand=watch
girl power=girlpower
lead actors=cast
the leads=cast
both leads=cast
two leads=cast
leading actors=cast
lead roles=cast
pay per view=payperview
real life=background
bad guy=rival
bad guys=rival
leave out=avoid
leaves out=avoid
left out=avoid
stay away=avoid
stays away=avoid
steer clear=avoid
steers clear=avoid
black and white=style
main girl=main
main woman=main
main lady=main
main guy=main
main man=main
lead girl=main
leading lady=main
leading man=main
kind of film=genre
kind of movie=genre
type of film=genre
type of movie=genre
sort of film=genre
sort of movie=genre
behind the camera=direct
co production=produce
co produced=produce
co producer=produce
co producers=produce
co director=direct
co directed=direct
co directors=direct
how old=age
how olds=age
year old=age
years old=age
a living=job
big deal=first
claim to fame=first
stand out=first
stands out=first
make it=win
give up=quit
gives up=quit
gave up=quit
love story=genre
love interest=loveinterest
feel good=tone
light hearted=tone
lead actor=cast
main actor=cast
main actors=cast
main cast=cast
lead cast=cast
lead star=cast
lead stars=cast
main stars=cast
star actors=cast
arch enemy=rival
arch nemesis=rival
day job=job
line of work=job
acting school=train
drama school=train
co founder=found
co founded=found
title role=main
`

// stem strips the common English inflections so "plays", "played" and "playing" meet, and
// "miner", "mine" and "mining" too. It only ever returns a prefix of w, so it never
// allocates. It is deliberately light: synonymGroups join the words it cannot.
func stem(w string) string {
	n := len(w)
	if n <= 3 || !isAlpha(w) {
		return w
	}
	// plurals and third person
	switch {
	case strings.HasSuffix(w, "sses"):
		w = w[:n-2]
	case strings.HasSuffix(w, "ies") && n > 4:
		return w[:n-3] // "comedies" meets "comedy", which loses its y below
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	// "streamable" meets "stream"
	if n = len(w); n >= 8 && (strings.HasSuffix(w, "able") || strings.HasSuffix(w, "ible")) {
		w = w[:n-4]
	}
	// one verbal suffix, then a final e, then an agent or adverb suffix, then a final y
	// after a consonant: every form of "offer", "premiere" or "mine" ends the same
	n = len(w)
	switch {
	case strings.HasSuffix(w, "ing") && n >= 6:
		w = undouble(w[:n-3])
	case strings.HasSuffix(w, "ed") && n >= 5:
		w = undouble(w[:n-2])
	}
	if n = len(w); n > 3 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	n = len(w)
	switch {
	case strings.HasSuffix(w, "er") && n >= 5:
		w = undouble(w[:n-2])
	case strings.HasSuffix(w, "ly") && n >= 5:
		w = w[:n-2]
	}
	if n = len(w); n > 3 && w[n-1] == 'y' && !isVowel(w[n-2]) {
		w = w[:n-1]
	}
	return w
}

// undouble turns "runn" into "run" and "starr" into "star", leaving "ll", "ss" and "zz".
func undouble(w string) string {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && !isVowel(w[n-1]) && w[n-1] != 'l' && w[n-1] != 's' && w[n-1] != 'z' {
		return w[:n-1]
	}
	return w
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

func isAlpha(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
