// The shape of a language's vocabulary for the router. Lexicons are data (lexicons/<locale>.ts); the engine that reads
// them is in trigger-router.ts and cancel-matcher.ts. Every entry is a pattern of one or more words, written as a
// customer would write it: case, accents and punctuation do not matter ("don't" is the words "don t").
// In a pattern, a word ending in `*` matches any word that starts with it ("weiterverbind*"), a first word starting
// with `*` any word that ends with it ("*berater": Kreditberater, Finanzberater), and `…` stands for up to three words
// of any kind ("i no longer need … ").

export type Lexicon = {
  /** Words that ask, together with a target, for someone: talk, speak, connect me, I want, is … available. */
  readonly cues: readonly string[]
  /**
   * Cues that ask only in a question: whether someone is there or free, with no other verb ("jmd echtes hier??",
   * "Mensch da?", "Hat jemand kurz Zeit für mich?"). Said as a statement they describe ("Jemand hier hat mein Paket
   * vertauscht").
   */
  readonly presenceQuestions?: readonly string[]
  /** Cues that ask to be passed on even without a target ("transfer me", "weiterverbinden"), when no object follows. */
  readonly standaloneCues: readonly string[]
  /** Places where a cue word is something else, mostly a noun after a determiner ("the chat", "le chat"). */
  readonly notCues: readonly string[]
  /** Who the customer may ask for: human, agent, someone from support, customer service. */
  readonly targets: readonly string[]
  /**
   * People named by what they are or do rather than as staff: trades, roles, job titles and plain person nouns
   * (pharmacist, claims adjuster, Apotheker, veterinario, the lady, la chica). Whom a cue asks for ("could I speak to a
   * pharmacist?"), but never a request alone: "pharmacist" by itself is not a bare target.
   */
  readonly personNouns?: readonly string[]
  /**
   * Words that open a description of the person just named ("the lady *who* handled my case last week", "la chica
   * *que* me atendió ayer", "el mismo agente *de ayer*"): what it narrates describes the person asked for, it does not
   * narrate the request.
   */
  readonly relativePronouns?: readonly string[]
  /** Relative pronouns that only ever stand for a person: the word before them is a person ("Sarah who…"). */
  readonly personRelativePronouns?: readonly string[]
  /**
   * Titles before a name: the title and the word after it are a person ("Kann ich Frau Kaya sprechen?", "can I talk
   * to Mrs Patel", "parler à Mme Roux", "hablar con la Sra. Pérez"), unless an owner stands before the title ("meine
   * Frau"). Not titles that are as often other words (French "M." read as the elided "m'", English "miss").
   */
  readonly personTitles?: readonly string[]
  /**
   * One talks *with* persons: after a speech word and a preposition of whom ("speak to", "parler avec", "mit …
   * reden", "hablar con"), the noun of a definite or "your" phrase is whom the customer asks for, whatever the lexicon
   * calls it ("speak to the purser", "parler au commissaire de bord", "mit der Konditorin reden", "den Obermeister
   * sprechen", "hablar con la pastelera"), unless it is a known non-person. See `PersonPlaces`.
   */
  readonly personPlaces?: PersonPlaces
  /**
   * Chat and text-speak spellings, each word read as the words it stands for before anything is matched: "cn i spk 2
   * sum1 plz" is "can i speak 2 someone please", "jveux parler a qqun" is "je veux parler a quelqu un". One word to one
   * or more words; a word that is another word in the language too is left out.
   */
  readonly chatSpellings?: Readonly<Record<string, string>>
  /**
   * Regular dialect endings, read as the standard ending for any word the table above does not name: Saxon and
   * Bavarian drop the "e" before a final "n" ("verbindn", "redn", "schwatzn" are "verbinden", "reden", "schwatzen").
   * Only endings no standard word of the language has; the stem before the ending keeps at least
   * two letters.
   */
  readonly chatEndings?: Readonly<Record<string, string>>
  /**
   * A person by the contact they make: the subject of a contact verb whose object is the customer ("Can one of the
   * seamstresses call me?", "Le gérant du salon peut m'écrire ?", "Kann mich der Meister zurückrufen?", "¿Me puede
   * llamar la encargada?") is whom the customer asks for, whatever the lexicon calls it. See `PersonContacts`.
   */
  readonly personContacts?: PersonContacts
  /**
   * One of the staff by a partitive: "gib mir einen von euren Tätowierern", "einen von Ihren Technikern". The noun after
   * the partitive is whom the customer asks for when it has a person's ending in the plural (a trade, not "einen von
   * euren Gutscheinen"). See `Partitives`.
   */
  readonly partitives?: Partitives
  /**
   * A shop, branch, workshop or office as whom the customer is to be put through to: "mit dem Laden in Ulm verbinden",
   * "an die Uhrmacherwerkstatt weitergeben". See `PlacesToConnect`.
   */
  readonly placesToConnect?: PlacesToConnect
  /**
   * Fetching or sending a person, as a cue: a verb of fetching or sending with the customer as its object or with its
   * separable particle ("get us a human", "schickt mir jemanden", "holts ma an Menschen her", "envoyez-moi quelqu'un").
   * Each verb with each object, and each verb with a particle up to three words later, is a request cue; the person it
   * fetches is the target the cue still needs. See `FetchVerbs`.
   */
  readonly fetchVerbs?: FetchVerbs
  /**
   * Cues that name where the customer wants to be put through, with their marker ("put me through to", "verbinden Sie
   * mich … mit", "páseme con"): the desk or team that follows, or that their `…` holds, is whom they ask for, whatever
   * it is called ("baggage claims", "Fundbüro", "reembolsos"), unless it is a thing (`notDestinations`).
   */
  readonly routingCues?: readonly string[]
  /**
   * Someone from a desk, asked for politely: "someone from the loyalty programme please", "jemanden vom Kundenservice
   * bitte", "con alguien de lecturas, por fa". With a polite word they route like `routingCues`; without one they are
   * as likely a remark ("someone from your bank called me").
   */
  readonly politeRoutes?: readonly string[]
  /** What a routing cue may lead to that is no person or desk: the wifi, a website, an account, the main menu. */
  readonly notDestinations?: readonly string[]
  /**
   * The chat's machine as customers call it: bot, Roboter, Maschine, KI. Refused earlier in a message ("Hauptsache kein
   * Roboter"), it makes a cue alone that follows a request ("Bitte verbinden.").
   */
  readonly machines?: readonly string[]
  /** Words after a standalone cue that give it an object of its own ("connect me *to* the wifi"). */
  readonly objectMarkers: readonly string[]
  /** The object of a standalone cue may come before it too (German: "die Mail an meine Frau weiterleiten"). */
  readonly objectMarkersBeforeCue?: boolean
  /** Compounds in which a target word is not a person to talk to: travel agent, human resources, support ticket. */
  readonly notPersons: readonly string[]
  /**
   * Pronouns that stand for the person a clause before named, opening or ending a clause that asks without naming
   * anyone: "Wer ist bei euch für Reklamationen zuständig? *Den* will ich sprechen", "… nen Fotografen? Dann bitte *den*".
   */
  readonly backReferences?: readonly string[]
  /**
   * Object pronouns of a speech word that stand for the person a clause before named: right before it ("c'est qui le
   * responsable ici ? je veux *lui* parler") or after it and its preposition, ending the clause ("¿Está el encargado?
   * Quiero hablar con *él*", "is the manager in? I'd like to talk to *him*"). The speech words and prepositions are
   * `personPlaces`'.
   */
  readonly speechObjectPronouns?: readonly string[]
  /**
   * A routing verb whose object is a pronoun for the person a clause before named: "… le chef d'agence, alors je le
   * demande : *passez-le-moi*", "Faut que je parle au maître de cérémonie, vous pouvez *me le passer* ?". See
   * `RoutedPronouns`.
   */
  readonly routedPronouns?: RoutedPronouns
  /** Possessives: "my agent", "mon conseiller" is someone the customer already has, not a request. */
  readonly owners: readonly string[]
  /**
   * Markers of a person who is given something, not asked for: "einen Strauß *für eine* Kollegin", "un regalo *para
   * una* compañera". Read as owners are: the person after them is no request. Not English "for", the preposition of
   * "looking for a human".
   */
  readonly beneficiaries?: readonly string[]
  /**
   * The customer's own organisation right after whom: "an die Buchhaltung *meiner Firma* weiterleiten", "au service
   * comptable *de mon entreprise*". A desk or person of theirs, as after an owner, not the business's.
   */
  readonly ownOrganisations?: readonly string[]
  /**
   * Whether the business has staff of a kind at all, a presence frame before a trade that the clause after qualifies
   * by a relative of its own with no contact in it: "Gibt es bei euch *auch* Tutoren, die Latein können?". With a
   * contact ("…, die mich zurückrufen können") or a speech word ("…, mit denen man reden kann") it still asks.
   */
  readonly staffQuestions?: readonly string[]
  /** The relative pronouns that open such a qualifying clause: "die", "der", "welche". */
  readonly relativeOpeners?: readonly string[]
  /**
   * Asking to be called back by someone ("einen Rückruf von", "que me llame"): one's own person right after is asked
   * to call, trade or not ("einen Rückruf von meinem Steuerberater", "que me llame mi contador").
   */
  readonly callBacks?: readonly string[]
  /** Negation: don't, never, ne … pas, nicht, kein, no, nunca. Scope: the words before the target. */
  readonly negators: readonly string[]
  /** Narration about the past: talked, yesterday, already, j'ai parlé, gestern, ayer. */
  readonly narrative: readonly string[]
  /**
   * Conditional frames that wish now though a narration word stands in them once accents are folded: German "wär
   * nett, wenn …", "hätten Sie … für mich", "hätte … gern" (folded "war", "hatten", the past). Narration inside one
   * does not narrate.
   */
  readonly presentWishes?: readonly string[]
  /** Questions or statements about a person rather than a request for one: are you, how many, I am, know if. */
  readonly talksAbout: readonly string[]
  /**
   * Frames of `talksAbout` that, opening the clause before its cue, only say when the request is made: "*avant de*
   * signer quoi que ce soit je veux parler à un conseiller" asks, "contactez un conseiller avant de résilier" does not.
   */
  readonly leadingFrames?: readonly string[]
  /**
   * Remarks that asking is pointless, right after the request they judge: "parler à un conseiller ça sert à rien",
   * "talking to an agent is pointless", "mit einem Mitarbeiter reden bringt nichts". Talks about the request.
   */
  readonly futility?: readonly string[]
  /** When someone is there, anywhere in the clause: on Saturdays, opening hours, am Samstag. Asks about a time. */
  readonly schedule?: readonly string[]
  /**
   * Looking for a job, anywhere in the clause: "wie kann ich mich als Kundenberater bewerben?", "apply for a job as an
   * agent". Talks about a role, not for someone in it.
   */
  readonly jobSeeking?: readonly string[]
  /**
   * Someone brought along, anywhere in the clause: "bring a support person with me", "une personne accompagnatrice",
   * "jemanden mitbringen", "persona acompañante". The person comes with the customer; nobody is asked for.
   */
  readonly companions?: readonly string[]
  /**
   * A channel other than this chat, anywhere in the clause: "by post", "in writing", "per Post", "por escrito", a phone
   * number to note for later. Asks how to reach a desk some other way, not for a person now.
   */
  readonly otherChannels?: readonly string[]
  /**
   * Choosing or switching whom one is served by, anywhere in the clause: "Kann ich die Pflegekraft selbst auswählen?",
   * "can I choose my stylist?", "¿puedo elegir a la cuidadora?". Asks about a choice, not for someone now.
   */
  readonly choices?: readonly string[]
  /**
   * Handing a thing over to someone, anywhere in the clause: "meine Wette an jemand anderen übertragen", "den Vertrag
   * auf meine Tochter überschreiben". The person receives a thing; nobody is asked for.
   */
  readonly handOvers?: readonly string[]
  /** Whether something costs money, anywhere in the clause: "is it free?", "ist das kostenlos?", "¿es gratis?". */
  readonly prices?: readonly string[]
  /**
   * A thought one had at first, as a clause of its own: what the next clause says was thought, then dropped, never
   * asked ("Ich dachte erst, ich brauch nen Mitarbeiter, aber…", "at first I thought, I need an agent…").
   */
  readonly firstThoughts?: readonly string[]
  /**
   * Number words: a target right after one, or after digits, counts people ("a board game for 4 people", "für zwei
   * Personen"), it does not ask for one.
   */
  readonly quantities?: readonly string[]
  /**
   * Asking whether a person is needed, when it opens the clause: the verb first makes it a question ("Brauche ich einen
   * Berater, um ein Depot zu eröffnen?", "do I need an agent to…", "faut-il un conseiller pour…"), while later in the
   * clause it still asks ("jetzt brauche ich einen Menschen"). Spanish has no such word order and no entry.
   */
  readonly requirementQuestions?: readonly string[]
  /**
   * Question frames whose negation still asks, at the opening of a question: "can't I just talk to someone?", "kann
   * mir nicht jemand helfen?", "¿no hay un humano con quien pueda hablar?". Their own negation refuses nothing.
   */
  readonly negatedAsks?: readonly string[]
  /** Clause openings that make someone else the subject: he, she, my husband, il, er, ella. */
  readonly otherSubjects: readonly string[]
  /** Words that start a new clause inside a sentence: but, mais, aber, pero. */
  readonly clauseBreaks: readonly string[]
  /**
   * Words that make a clause after a comma depend on the one before ("…, mit einem Menschen zu sprechen", "ich möchte
   * mich beschweren, und zwar bei einem Menschen"). A clause break that opens one ("und" of "und zwar") does not cut.
   */
  readonly dependentClauseMarkers: readonly string[]
  /**
   * Subjects that open a clause of its own: an infinitive marker at its end is that clause's ("…, Sie brauchen mich mit
   * niemandem mehr zu verbinden"), not one that belongs to the clause before.
   */
  readonly clauseSubjects?: readonly string[]
  /** Words that open a reason after a pause: a bare target followed by why is still a request ("agent, because…"). */
  readonly reasonOpeners?: readonly string[]
  /** Words that add nothing to a request: articles, please, real, hi, ok. A bare target may come with them. */
  readonly fillers: readonly string[]
  /**
   * Fillers that make a bare target a request even when more follows in the sentence: "representative please, the
   * bot keeps looping", "bitte einen Menschen, ich drehe mich im Kreis". Without one, a bare target must end it.
   */
  readonly politeness?: readonly string[]
  readonly cancel: {
    /** Expressions that withdraw the request: cancel, never mind, laisse tomber, vergiss es, ya no. */
    readonly expressions: readonly string[]
    /** What may be cancelled without it being something else: it, that, the request, the chat. */
    readonly objects: readonly string[]
    /** Words that may come with a cancel: ok, no, thanks, actually. */
    readonly fillers: readonly string[]
    /**
     * Saying one keeps waiting for the person ("don't worry, I'll wait for the agent", "alles gut, ich warte"): a
     * message with such a clause is no cancellation. Waiting for something else ("I'll wait for the email") is.
     */
    readonly keepWaiting?: readonly string[]
    /**
     * Asking how much longer the wait is ("how much longer", "¿cuánto más va a tardar?", "combien de temps encore", "wie
     * lange noch"): a question with one, in another clause, says the customer still waits ("Ya me cansé de esperar,
     * ¿cuánto más va a tardar el agente?"), whatever else it holds.
     */
    readonly waitingQuestions?: readonly string[]
    /**
     * Openings that make a question a polite order ("Können Sie die Weiterleitung bitte abbrechen?", "can you cancel
     * it?"): such a question cancels, while "Kann ich die Weiterleitung abbrechen, wenn ich will?" only asks.
     */
    readonly politeOrders?: readonly string[]
    /**
     * Openings of a condition ("si no me atienden ya, borro mi cuenta", "if nobody answers I'll cancel"): a clause
     * they open says what would happen, so nothing in it is cancelled yet.
     */
    readonly conditions?: readonly string[]
    /**
     * First words of a new sentence written without a pause after a cancel that opens the message: "nevermind *i'll*
     * just call tomorrow", "olvídalo *ya* funciona". Subject pronouns and the like, never a possessive ("cancel my order").
     */
    readonly sentenceStarts?: readonly string[]
    /**
     * Not minding: cancels alone ("da igual"), but after a request only says any will do ("un asesor por teléfono o
     * por chat, me da igual"), so it does not take the request back.
     */
    readonly indifference?: readonly string[]
    /**
     * Things booked that may be cancelled: an appointment, a visit, a reservation. Named in a clause before a cancel
     * that has no object of its own ("Den Umzugstermin am 12. möchte ich absagen", "la visita de la cuidadora,
     * cancélenla"), they are what is cancelled, not the hand-off. Named after it, they are the customer's reason
     * ("never mind, my appointment shows in the app now").
     */
    readonly bookings?: readonly string[]
    /**
     * A withdrawal whose object points back at what a clause before named: "die brauch ich nicht mehr", "I don't want
     * that". After a clause about something else ("Vergessen Sie die Kinokarten, …") or one saying what would be
     * cancelled ("does my request get cancelled? …"), it withdraws that, not the request.
     */
    readonly withdrawnBackReferences?: readonly string[]
    /** Saying something is or would be cancelled, not cancelling it: "get cancelled", "storniert". */
    readonly cancelledForms?: readonly string[]
    /**
     * Openings that ask whether the customer may or could do something: "kann ich", "can I", "¿puedo…". In a sentence
     * asked as a question, a clause they open only asks, even one that is not the sentence's last ("Kann ich abbrechen
     * und später nochmal fragen, ohne …?").
     */
    readonly ownAbilityQuestions?: readonly string[]
  }
  /**
   * Imperatives of fetching a person that may open a clause of whom alone: "Tráiganme a la supervisora", "bring me the
   * manager". Such a clause asks as a bare target does ("la supervisora, por favor"), and the request check does not
   * second-guess it.
   */
  readonly bareFetches?: readonly string[]
  /**
   * Staff the business itself provides, named by a trade (teachers, instructors, the head of its school): after a
   * marker of whom, or right before a verb of speaking them, one's own is asked for ("mit meinem Fahrlehrer sprechen",
   * "meine Klavierlehrerin sprechen", "con mi instructor de vela"), where one's own lawyer is someone of one's own.
   */
  readonly providedRoles?: readonly string[]
}

/** The word classes of fetching or sending a person (`Lexicon.fetchVerbs`). */
export type FetchVerbs = {
  /** Verbs of fetching or sending, in the forms that order: get, give, send; hol, holt, schickt; passez, envoie. */
  readonly verbs: readonly string[]
  /** The customer as their object, right after the verb: me, us; mir, uns, ma; moi, nous. */
  readonly objects: readonly string[]
  /** Separable particles and goals that close the verb's phrase: German her, ran, an die Strippe, ans Telefon. */
  readonly particles?: readonly string[]
}

/** The word classes of one of the staff named by a partitive (`Lexicon.partitives`). */
/** A routing verb with an object pronoun for a person named before (`Lexicon.routedPronouns`). */
export type RoutedPronouns = {
  /** The frames, each holding one of `pronouns`; they are cues too: "passez le moi", "me le passer". */
  readonly frames: readonly string[]
  /** The object pronouns in the frames, which stand for the person: "le", "la". */
  readonly pronouns: readonly string[]
}

export type Partitives = {
  /** One of your …: einen von euren, eine von Ihren, jemanden von euren. */
  readonly determiners: readonly string[]
  /** Plural endings of a person's noun: -ierern, -innen, -isten, -ikern. */
  readonly personEndings: readonly string[]
}

/**
 * The word classes of a place put through to (`Lexicon.placesToConnect`): in a clause with a connecting verb and the
 * customer as its object, a place noun right after one of the markers is whom the customer asks for. Not a thing
 * connected ("verbinden Sie mein Konto mit der App"): no customer as the object, no place.
 */
export type PlacesToConnect = {
  /** Verbs that put someone through or pass them on: verbinden, weitergeben, weiterleiten, durchstellen. */
  readonly verbs: readonly string[]
  /** The customer as their object: mich, uns. */
  readonly objects: readonly string[]
  /** A preposition and article before the place: mit dem, an die, zur. */
  readonly markers: readonly string[]
  /** Shops, branches, workshops and offices: Laden, Filiale, *werkstatt, *büro. */
  readonly places: readonly string[]
}

/** The word classes of a person named by the contact they make (`Lexicon.personContacts`). */
export type PersonContacts = {
  /**
   * Contact verbs whose object is the customer, as written: call me, ring me; m'appeler, me contacte; mich … anrufen;
   * me llame, me devuelva la llamada. Each is also a request cue for the person it finds.
   */
  readonly contactVerbs: readonly string[]
  /**
   * Determiners that open the subject: the, a, one of the, your; le, une, l'un de vos; der, eine; el, una, alguno de.
   * Not the customer's own ("my"): "my wife can call me" asks for no one.
   */
  readonly determiners: readonly string[]
  /** Words that may stand between the subject and its verb: can, could, please; peut, pourrait; puede, podría. */
  readonly linkWords: readonly string[]
  /**
   * Prepositions of a complement of the subject, which with its article and noun may also stand between:
   * "the manager *of the salon* can…", "le gérant *du salon* peut…", "una persona *del taller*".
   */
  readonly complementPrepositions: readonly string[]
  /**
   * Words that tie a person the customer tells or asks to the contact verb, right before the verb: the "de" of a
   * French infinitive ("demander à la coordinatrice *de* m'écrire"), Spanish "que" ("pídale a la doctora *que* me
   * escriba"), German "er soll" ("Sagen Sie Ihrem Kollegen, *er soll* mich zurückrufen"). English "to" is a link word.
   */
  readonly verbMarkers?: readonly string[]
  /**
   * Frames of whom the customer wants on the line, the noun before them ("the locksmith *on the phone*", "le serrurier
   * *au téléphone*", "den Meister *ans Telefon*", "el encargado *al teléfono*") or after them ("*on the phone with* the
   * locksmith"). Not cues: the request needs one besides.
   */
  /**
   * Where a clause puts its verb last ("…, wenn mich mal jemand vom Team zurückruft"), contact verbs in that place and
   * the customer as their object, which must stand before the subject: mich, mir, bei mir.
   */
  readonly verbLast?: { readonly verbs: readonly string[]; readonly objects: readonly string[] }
  readonly onTheLine?: { readonly before: readonly string[]; readonly after: readonly string[] }
  /** Whether the subject may also follow the verb: Spanish "¿me puede llamar la encargada?"; not English "call me a taxi". */
  readonly subjectAfterVerb?: boolean
}

/** The word classes of a person named by its place (`Lexicon.personPlaces`). */
export type PersonPlaces = {
  /** Words of talking with someone: talk, speak, chat; parler, discuter; sprechen, reden; hablar, conversar. */
  readonly speechWords: readonly string[]
  /** Prepositions of whom one talks with: to, with; à, avec; mit; con. */
  readonly prepositions: readonly string[]
  /**
   * Singular definite articles and "your", as they stand after the preposition: the, your; le, la, votre; dem, der; el,
   * la, su. One asks for the purser, not for people in general ("je déteste parler aux gens").
   */
  readonly determiners: readonly string[]
  /**
   * An indefinite singular article after the preposition, with the endings of a person's form (a trade suffix class):
   * "talk to a mechan*ic*", "mit einer Hörakustiker*in* sprechen", "parler avec un fleur*iste*", "hablar con un
   * carpint*ero*". The noun is whom the customer asks for only when it ends so; one asks for a trade, not a thing.
   */
  readonly indefinite?: { readonly determiners: readonly string[]; readonly personEndings: readonly string[] }
  /**
   * Pronouns of a free relative right after the preposition, which name a person by what they did: "hablar con *quien*
   * me atendió ayer", "parler à *celui* qui m'a répondu". What the relative clause narrates describes that person.
   */
  readonly freeRelatives?: readonly string[]
  /** A preposition and an article in one word: au, aux. */
  readonly contractions?: readonly string[]
  /**
   * Where the verb comes last, a speech verb whose direct object is whom one speaks and that object's articles, for a
   * noun right before the verb without a preposition: German "den Obermeister sprechen". Not "reden": one speaks a
   * person, but talks only *with* one.
   */
  readonly directObject?: { readonly speechWords: readonly string[]; readonly determiners: readonly string[] }
  /** Words that make the phrase after them the topic, not whom: "über den Preis sprechen". */
  readonly topicMarkers?: readonly string[]
  /**
   * Where the verb comes last, words of doing it in person right before the speech word: German "mit einem Bestatter
   * *persönlich* sprechen". One speaks in person only with a person, so the noun after the preposition and its article
   * (definite or not) is whom, whatever its ending.
   */
  readonly inPerson?: readonly string[]
  /**
   * Nouns that are no person even there, as the noun or right after it: the bot, the fitness app, the machine, the
   * automated system; and desks the corpus shows are not asked for this way.
   */
  readonly nonPersons: readonly string[]
}
