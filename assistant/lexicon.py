"""The French and English words the assistant knows by heart, in one place.

Stop words for keyword search, question words and the kind of answer they call for, pronouns that
make a follow-up lean on the conversation, phrases of a model that does not know, filler words,
small words of titles. The modules that use them import them from here; a new language adds its
entries here first.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- keyword search (retrieval/keyword.py) -------------------------------------------------

STOP_WORDS: dict[str, frozenset[str]] = {
    # Folded forms ("ou" is also "où", "a" also "à"); "son", "car" left out: English content words.
    "fr": _words(
        "le la les un une des du de au aux et ou en a dans par pour sur avec sans entre chez ce ces cet cette"
        " ceci cela est sont ete etre ont avoir fait il ils elle elles on nous vous se sa ses leur leurs qui que"
        " quoi quel quelle quels quelles lequel laquelle combien comment pourquoi quand ne pas plus y lui je tu"
        " mon ma mes dont si tout tous toute toutes mais donc aussi ainsi"
    ),
    # "us" left out: it is also "US". Question words included so that questions don't match on them.
    "en": _words(
        "the a an and or of to in on at by for from with without as is are was were be been being it its this"
        " that these those there their they them he she we you his her our your not no do does did has have had"
        " can could will would should may what which who whom whose when where why how many much any some into"
        " about than then also so if"
    ),
}
# French elided articles and pronouns (l'Inserm, qu'il), English possessive 's: cut off a word.
ELISION = re.compile(r"^(?:qu|jusqu|lorsqu|puisqu|[cdjlmnst])'|'s$", re.IGNORECASE)

# A region a question names, the words that name it and the places it covers (folded, both languages; cities the
# sources name without their country): "un partenaire en Amérique du Sud" is the Joint Lab in Buenos Aires, "in
# Latin America" the platform in Brazil. "Horizon Europe", "American" (of the United States) name no region.
# Compound names are left to their other language ("Netherlands", not "pays", "bas"): passages are read in both.
REGIONS = [
    (
        re.compile(
            r"\bamerique (?:du sud|latine)|\b(?:south|latin) america|\b(?:sud|latino)-americain|\bsouth american"
        ),
        "latine latin",
        "argentine argentina bresil brazil chili chile colombie colombia perou peru uruguay venezuela bolivie"
        " bolivia equateur ecuador paraguay mexique mexico cuba",
    ),
    (
        re.compile(r"\bamerique du nord|\bnorth america|\bnord-americain"),
        "nord north",
        "unis usa canada quebec washington pittsburgh ottawa montreal toronto boston harvard",
    ),
    (
        re.compile(r"\basie|\basia|\basiatique"),
        "asie asia asiatique asian",
        "japon japan chine china coree korea taiwan inde india singapour singapore bangladesh vietnam thailande"
        " thailand cambodge cambodia laos indonesie indonesia philippines pakistan shanghai tokyo pekin beijing"
        " seoul dhaka",
    ),
    (
        re.compile(r"\bpacifique|\bpacific\b|\boceanie|\boceania"),
        "pacifique pacific oceanie oceania",
        "australie australia zelande zealand fidji fiji sydney melbourne",
    ),
    (
        re.compile(r"\bafrique|\bafrica|\bafricain"),
        "afrique africa africain african",
        "ivoire ivory congo guinee guinea senegal cameroun cameroon burkina mali madagascar kenya ouganda uganda"
        " nigeria ghana ethiopie ethiopia maroc morocco tunisie tunisia algerie algeria egypte egypt mozambique"
        " tanzanie tanzania rwanda benin togo gabon tchad chad",
    ),
    (
        re.compile(r"\bscandinav|\bnordique|\bnordic"),
        "scandinavie scandinavia scandinave nordique nordic",
        "suede sweden norvege norway danemark denmark finlande finland islande iceland stockholm oslo copenhague"
        " copenhagen helsinki karolinska",
    ),
    (
        re.compile(
            r"\b(?:pays|partenaires?|institutions?|universites?|laboratoires?) europeen"
            r"|\beuropean (?:countr|partner|institution|universit|lab)|\b(?:en|in) europe\b(?! ?-)"
        ),
        "europeen european",
        "allemagne germany autriche austria belgique belgium espagne spain italie italy netherlands suede sweden"
        " norvege norway danemark denmark finlande finland kingdom suisse switzerland portugal pologne poland"
        " grece greece irlande ireland stockholm oslo cardiff londres london munich heidelberg barcelone"
        " barcelona vienna wien leyde leiden bruxelles brussels geneve geneva berlin",
    ),
]


# -- headings (ingest/outline.py) ------------------------------------------------------------

# Lower-case words a title may contain without stopping to look like one.
SMALL_WORDS = _words("de du des la le les l d et a au aux en pour sur of and the for in on to an with by at")


# -- follow-ups (answering/conversation.py) ---------------------------------------------------

# A question that starts with "and" or holds a pronoun leans on the conversation.
CONTINUES = re.compile(
    r"^(and|et|also|aussi|what about|and what about|et pour|et qu'en est-il|et le|et la|et les|puis)\b"
)
# The leading "and" of a follow-up, and the prepositions after it that keep the earlier subject ("Et pour les
# bourses ERC, il se place où ?", "And apart from Africa, where else is it active?").
CONJUNCTIONS = frozenset({"and", "et", "also", "aussi", "puis"})
OPENS_ON_PREPOSITION = re.compile(
    r"(pour|cote|du cote|quant|concernant|apart|besides|except|sauf|hormis|outre|for|as for|in|on|at|au|aux|en|a"
    r"|dans|sur|from|about|regarding|chez|with|avec|without|sans|beyond|parmi|among|between|entre|of)\b"
)
# A question that asks which members of a list names a word asking which and what the members are: "In which
# countries are the Joint Labs' partners?", "quelles unités…", "…, lesquels ?", "Who are its partners?". A city or
# a country alone is no member: "In which city was ClimateHealth launched?".
ASKS_WHICH = re.compile(
    r"\b(?:which|wich|quels?|quelles?|name|list|lister|who are|who're|qui sont)\b"
    r"|(?:^|(?<=[,:;?.] )|(?<=\bet )|(?<=\band ))(?:lequel|laquelle|lesquels|lesquelles)\b"
)
MEMBERS = re.compile(
    r"\b(?:partners?|partenaires?|units?|unites?|labs?|labos?|laboratoires?|laborator(?:y|ies)|joint|institutions?"
    r"|etablissements?|organismes?|organi[sz]ations?|universit(?:y|ies|es?)|hospitals?|hopita(?:l|ux)|members?"
    r"|membres?|schools?|ecoles?|centres?|centers?)\b"
)
# What the items of a list are, whichever list: these words do not tell lists apart.
MEMBER_WORDS = _words(
    "partner partners partenaire partenaires unit units unite unites country countries pays city cities ville villes"
    " member members membre membres institution institutions etablissement etablissements foreign etranger"
    " etrangers etrangere etrangeres"
)
# A count of nothing named ("How many have been deployed so far?", "Combien sont coordonnés…"): of what came before.
UNCOUNTED = re.compile(
    r"\b(how many|combien)\s+(are|were|is|was|have|has|had|do|does|did|can|could|will|would"
    r"|sont|ont|a|avait|avaient|etaient|seront|y)\b"
)
# "Qui d'autre en fait partie ?": besides what was named before.
ASKS_OTHERS = re.compile(r"\b(qui|quoi) d'autre\b|\b(who|what) else\b")
PRONOUN = re.compile(
    # Not "there" after a verb ("How many were there?"), nor the "ce" of "qu'est-ce que".
    r"\b(it|its|it's|they|them|their|this|that|these|those|(?<!is )(?<!are )(?<!was )(?<!were )there|he|she|his"
    r"|her|him|il|elle|ils|elles|lui|leur|leurs|son|sa|ses|(?<!est-)ce|cet|cette|ces|celui|celle|ceux|celles)\b"
    # "Lesquels ont un partenaire canadien ?", "Which one is in Bangladesh?": one of a set named before; not
    # the relative "les pays avec lesquels…"
    r"|(?:^|(?<=[,:;?] )|(?<=\bet )|(?<=\band ))(lequel|laquelle|lesquels|lesquelles)\b|\b(which|the) ones?\b"
    rf"|{ASKS_OTHERS.pattern}"
    # "Ça représente combien ?", "Tu peux me les lister ?", "How is the latter selected?", "Is the third one
    # running?", "Le premier est en Allemagne ?", "The same question for the INPP."
    r"|\b(ca|ça|cela|ceci)\b|\b(me|te|nous|vous) (les|le|la|l')|\bthe (former|latter)\b"
    r"|\bthe (first|second|third|fourth|last|other) ones?\b"
    r"|\b(le|la) (premier|premiere|deuxieme|second|seconde|troisieme|dernier|derniere)(?= (est|a|sont|se|s')\b|\s*\?)"
    r"|\b(same question|meme question|pareil pour|same for)\b",
    re.IGNORECASE,
)
# A source page named by its language or title, folded: "d'après la page anglaise", "the French page", "the
# policy page".
PAGES = {
    **dict.fromkeys(("anglaise", "anglais", "english", "policy"), "en"),  # the English page is "International Policy"
    **dict.fromkeys(("francaise", "francais", "french"), "fr"),
}
_PAGE_LANGUAGE = "|".join(PAGES)
NAMES_PAGE = re.compile(
    rf"\b(?:page|texte|text|version)s? (?:en )?({_PAGE_LANGUAGE})\b|\b({_PAGE_LANGUAGE}) (?:page|text|version)s?\b"
)
# An item of a list by its place in it ("La première, elle dure combien de temps ?", "And the third one?"), folded.
ORDINALS = {
    **dict.fromkeys(("premier", "premiere", "first"), 0),
    **dict.fromkeys(("deuxieme", "second", "seconde"), 1),
    **dict.fromkeys(("troisieme", "third"), 2),
    **dict.fromkeys(("quatrieme", "fourth"), 3),
    **dict.fromkeys(("dernier", "derniere", "last"), -1),
}
ORDINAL = re.compile(
    rf"\s*(?:(?:et|and)\s+)?(?:le|la|the)\s+({'|'.join(ORDINALS)})(?:\s+ones?\b|(?=\s*[,?]|\s+(?:est|a|il|elle|is|was|has)\b))"
)
# A pronoun after a comma or a question mark stands for a name the clause before gives ("Le PCT InterAging,
# il a été lancé quand ?", "Since ClimateHealth was launched in 2022, when was it launched?"). Neither a name in the
# possessive ("Apart from advising Inserm's leadership, what is it…") nor an English adjective of
# nationality ("Going back to the European one, …") is what the pronoun stands for: each qualifies a noun.
NAMING_CLAUSE = re.compile(r"(?<!^)\b(?![A-Z]\w*(?:an|ese|ish)\s+[a-z])[A-ZÀ-Ý][\w-]*\w\b(?!['’]s)[^,?]*[,?]")
# "il y a", "y a-t-il": not "it".
IMPERSONAL = re.compile(r"\b(il )?y a(-t-il)?\b")
# French complex inversion ("Combien de projets l'Inserm coordonne-t-il ?"): the inverted pronoun repeats
# a subject the question names with a determiner; "Quand a-t-il été créé ?" names none and leans on the chat.
INVERTED_PRONOUN = re.compile(r"-(?:t-)?(?:il|elle|ils|elles)\b")
NAMED_SUBJECT = re.compile(r"(?:^|\s)(?:le|la|les|un|une|des|du)\s|\bl'\w")
# A possessive after a name the question gives refers to it ("l'Inserm coordonne…, et quel est son rang ?").
POSSESSIVE = re.compile(r"\b(son|sa|ses|leur|leurs|its|their)\b", re.IGNORECASE)
NAME_BEFORE = re.compile(r"(?<!^)\b[A-ZÀ-Ý][\w-]+")
# A demonstrative and the noun it points with ("that programme", "ce réseau"), not a name ("ce PCT InterAging").
DEMONSTRATIVE = re.compile(r"\b((?i:that|this|these|those|ce|cet|cette|ces))\s+([a-zà-ÿ]{3,})\b(?!\s+[A-ZÀ-Ý])")


# -- selecting sentences (answering/responders.py) ---------------------------------------------

# (what the question asks, what an answering sentence contains)
ANSWER_TYPES = [
    (
        re.compile(
            r"^(and |et )?(who|qui)\b|\b(who|qui) (is|are|leads?|coordinates?|dirige|coordonne|pilote|en assure)"
        ),
        re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ]+)+\b"),
    ),  # a person or institution name
    (
        re.compile(r"\b(how (many|much)|combien|quel(le)? (part|montant|nombre|pourcentage)|what (share|percentage))"),
        re.compile(r"\d"),
    ),
    (
        re.compile(r"\b(when|quand|what year|which year|quelle annee|en quelle annee|depuis quand|date)\b"),
        re.compile(
            r"\b(1[89]|20)\d\d\b|\b(janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre"
            r"|octobre|novembre|decembre|décembre|january|february|march|april|may|june|july|august"
            r"|september|october|november|december)\b",
            re.IGNORECASE,
        ),
    ),
]


# ", and with which countries?", " et combien …": where a second thing asked in the same question starts.
SECOND_ASK = re.compile(
    r",?\s+(?:and|et)\s+(?=(?:(?:in|with|from|for|to|by|at|of|dans|avec|de|d'|pour|par|en|à|a|sur)\s+)?"
    r"(?:(?:roughly|approximately|about|also|exactly|environ|aussi|exactement)\s+)?"
    r"(?:how|what|which|who|whom|where|when|combien|quel|quelle|quels|quelles|lequel|laquelle|lesquels|lesquelles"
    r"|qui|où|quand|comment)\b)",
    re.IGNORECASE,
)


# -- checking an answer against its passages (answering/grounding.py) --------------------------

# Numbers written as words (folded), checked like digits: a translation that turns "une trentaine"
# into "a dozen" states a figure its source does not. Left out: one/un/une and first/premier (articles
# and ordinals everywhere), "neuf" (also "new"), "second" (also a unit of time).
NUMBER_WORDS: dict[str, str] = {
    **dict.fromkeys(("two", "deux"), "2"),
    **dict.fromkeys(("three", "trois"), "3"),
    **dict.fromkeys(("four", "quatre"), "4"),
    **dict.fromkeys(("five", "cinq"), "5"),
    **dict.fromkeys(("six",), "6"),
    **dict.fromkeys(("seven", "sept"), "7"),
    **dict.fromkeys(("eight", "huit"), "8"),
    **dict.fromkeys(("nine",), "9"),
    **dict.fromkeys(("ten", "dix", "dizaine"), "10"),
    **dict.fromkeys(("twelve", "dozen", "douze", "douzaine"), "12"),
    **dict.fromkeys(("fifteen", "quinze", "quinzaine"), "15"),
    **dict.fromkeys(("twenty", "vingt", "vingtaine"), "20"),
    **dict.fromkeys(("thirty", "trente", "trentaine"), "30"),
    **dict.fromkeys(("forty", "quarante", "quarantaine"), "40"),
    **dict.fromkeys(("fifty", "cinquante", "cinquantaine", "half", "moitie"), "50"),
    **dict.fromkeys(("hundred", "cent", "centaine"), "100"),
    **dict.fromkeys(("thousand", "mille"), "1000"),
}
# A city's names in French, English and its own language: a source may give it only inside an institution's name,
# which is never translated ("la London School of Hygiene" for "à Londres", "TU Wien" for "Vienne").
CITY_NAMES = tuple(
    frozenset(names.split())
    for names in (
        "londres london",
        "barcelone barcelona",
        "munich munchen muenchen",
        "vienne vienna wien",
        "bruxelles brussels brussel",
        "geneve geneva genf",
        "leyde leiden",
        "pekin beijing",
        "copenhague copenhagen kobenhavn",
        "lisbonne lisbon lisboa",
        "varsovie warsaw warszawa",
        "moscou moscow moskva",
        "singapour singapore",
        "edimbourg edinburgh",
        "anvers antwerp antwerpen",
        "cologne koln",
        "francfort frankfurt",
        "hambourg hamburg",
        "bale basel",
        "berne bern",
        "milan milano",
        "turin torino",
        "florence firenze",
        "naples napoli",
        "venise venice venezia",
        "seville sevilla",
        "athenes athens",
        "prague praha",
        "caire cairo",
        "alger algiers",
        "nouvelle-orleans new-orleans",
    )
)
# Acronyms a translation may use for a name its source spells out (folded): "USA" for "États-Unis".
NAME_ACRONYMS: dict[str, re.Pattern[str]] = {
    **dict.fromkeys(("usa", "us"), re.compile(r"\betats[- ]unis\b|\bunited states\b")),
    "uk": re.compile(r"\broyaume[- ]uni\b|\bunited kingdom\b"),
    **dict.fromkeys(("eu", "ue"), re.compile(r"\bunion europeenne\b|\beuropean union\b")),
}
# French approximate numerals, which the 1.5B model mistranslates ("une trentaine" → "a dozen"); "environ 30"
# it translates as "about 30".
APPROXIMATE_NUMERAL = re.compile(
    r"\bune (dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|centaine) d(?:e |['’])"
)
# "pour cent", "per cent" are a percent sign, not a hundred.
NUMBER_WORD = re.compile(r"\b(?<!pour )(?<!per )(" + "|".join(NUMBER_WORDS) + r")s?\b")


# -- whether the selected sentences can answer (answering/answerability.py) -----------------

_MONTHS = (
    r"janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
)
# A year after a capitalised word that is no month names a plan or a programme ("France 2030", "Horizon 2020").
MONTH = re.compile(_MONTHS)
NAMED_YEAR = re.compile(r"\b([A-ZÀ-Ý][\w-]+) (?:19|20)\d\d\b")

# A question about who holds a role: a named person answers it, not a place, an institution or a group.
_ROLE = (
    r"\b(qui|who) (l'|le |la |les )?"
    r"(dirige|dirigeait|leads?|heads?|directs?|manages?|runs?|coordonne|coordinates?|pilote)"
    r"|\b(directeur|directrice|director|head of|chef|responsable|responsible|in charge|a la tete|leader"
    r"|coordinateur|coordinatrice|coordinator|president|presidente|preside|presides|chairs?"
    r"|quel chercheur|quelle chercheuse|quels chercheurs|which researchers?|which scientists?"
    r"|lead (researcher|scientist|investigator)s?|principal investigators?|scientific lead"
    r"|(chercheur|chercheuse|investigateur|investigatrice)s? principa(l|le|ux|les)"
    r"|(qui|who),? (nommement|by name)|nom de la personne|name of the person|personally|personnellement"
    r"|(i need|i want|give me|je veux|il me faut|donne-moi|donnez-moi) (a |an |un |the |le )?(names?|noms?)\b"
    r"|referents?|interlocut(eur|rice)s?|contact persons?|personne a contacter|point of contact"
    r"|\b(qui|who) (assure|assures|provides) (la |the )?(coordination|direction|leadership)"
    r"|\b(qui|who) (siege|siegent|sits|sit) (dans|au|on|in)"
    # "Comment s'appelle le représentant…": the name of someone who represents.
    r"|(comment s'appelle(nt)?|(what is|what's|what are) the names? of|quel est le nom d[eu']|names? of)\s+"
    r"(le |la |les |l'|the |son |sa |ses |its |their )?(representante?|representative|delegue|delegate)s?)\b"
)
ASKS_ROLE = re.compile(_ROLE)
# The words that make a name an institution's ("University of Ottawa", "Cancer Research Centre of Marseille").
_INSTITUTION = (
    r"universit\w*|institut\w*|instituto|istituto|h[oô]pita\w*|hospital|chu|school|[eé]cole|college|cent(re|er|ro)"
    r"|centrum|zentrum|facult\w*|laborato\w*|academ\w*|ambassade|embassy|fondation|foundation|agenc\w*|minist\w*"
    r"|council|conseil|krebsforschungszentrum"
)
INSTITUTION_WORD = re.compile(rf"\b({_INSTITUTION})\b")
ASKS_CITY = re.compile(r"\b(ville|villes|city|cities)\b")
# Which country: answered by a country the question does not name ("Which country comes second after the US?").
ASKS_COUNTRY = re.compile(r"\b(quel|quels|quelle|quelles|lesquels|which|what) (pays|countr(y|ies))\b")
# How long something lasts: a count of years, months or days.
ASKS_DURATION = re.compile(
    r"\b(how long|combien de temps|pendant combien|(quelle est la|sur quelle|pour quelle) duree"
    r"|(what is the|for what) duration)\b"
)
ASKS_REASON = re.compile(
    r"^(and |et )?(why|pourquoi)\b|\b(pour quelle raison|for what reason|qu'est-ce qui (justifie|explique)"
    r"|what (justifies|explains)|what (is|was|are|were) the reasons?|quelles? (est|sont|etait) (la|les) raisons?"
    r"|for what purpose|to what end|dans quel but)\b"
)
# A sentence that refers back to the one before it, by its first words ("These actions may thus lead to…", "Ce
# sont des appels à propositions blancs", "Sa coordination est assurée par…"): it continues what that one says.
_PERSONAL_PRONOUNS = r"they|it|its|their|ils|elles|il|elle|sa|son|ses|leurs?"
# A sentence that opens on a pronoun ("Il a été lancé en octobre 2025"): it speaks of what its heading names.
OPENS_ON_PRONOUN = re.compile(rf"({_PERSONAL_PRONOUNS})\b")
REFERS_BACK = re.compile(
    rf"(these|this|those|such|c'est|ces|cette|cet|ce|others|d'autres|{_PERSONAL_PRONOUNS}"
    # Where what it introduced stands now ("À ce jour, 3 plateformes ont été déployées : …").
    r"|a ce jour|to date|so far|jusqu'ici|jusqu'a present)\b"
)
# A sentence that opens on a year ("En 2025, de nouveaux représentants…", "In 2008, …"), read folded.
OPENS_ON_YEAR = re.compile(r"(?:en|in|depuis|since)?\s*((?:19|20)\d\d)\b")
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# What a question sets aside ("Outre le Karolinska Institute de Stockholm, quel partenaire…", "Apart from Japan,
# which…"): the words up to its comma or its question word.
SET_ASIDE = re.compile(
    r"\b(?:outre|besides|apart from|aside from|other than|in addition to|à part|a part|hormis|en dehors d[eu']"
    r"|en plus d[eu']|except|sauf)\s+(.+?)(?=,|\?|$|\b(?:quel|quelle|quels|quelles|lequel|laquelle|lesquels"
    r"|which|what|who|qui|que|quoi|where|où|when|quand|how|comment|combien)\b)",
    re.IGNORECASE,
)
# A sentence that states a consequence ("Aussi l'Inserm s'est-il doté…", "Inserm has therefore…"): its reason
# is the sentence before it.
CONSEQUENCE = re.compile(
    r"^(aussi|ainsi|c'est pourquoi|des lors|de ce fait|this is why|that is why|as a result|for this reason)\b"
    r"|\b(therefore|thus|hence|consequently|donc|par consequent)\b"
)

# Numbers in words, exact or approximate ("une trentaine"), as counts and comparisons read them.
_NUMBER_WORDS = (
    r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt"
    r"|trente|quarante|cinquante|cent|mille|(diz|douz|quinz|vingt|trent|quarant|cinquant|cent)aines?|milliers?"
    r"|two|three|four|five|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?"
    r"|thousands?|dozens?"
)

# "When" asks for a date where it starts a question ("When…?", "And when…?") or comes before a verb or the
# question mark ("Le PCT, quand a-t-il été lancé ?", "il a démarré quand ?"), not in a clause: "Which countries
# was it in when it was set up?", "Qu'est devenu Agemed quand InterAging a pris le relais ?".
_ASKS_WHEN = (
    # Not a clause that sets the scene for another question ("Quand la direction générale part en visite,
    # quelle alliance met-elle en avant ?", "When a Joint Lab is created, does it come with…?").
    r"(?:^|\b(?:and|et|but|mais) )(?:when|quand)\b"
    r"(?![^?]*,\s*(?:quel|quelle|quels|quelles|qui|que|qu'|comment|combien|which|what|who|whose|whom|how|where"
    r"|est-ce|y a-t-il|does|do|did|is|are|was|were|can|could|will|would|should|has|have)\b)"
    r"|\b(?:when|quand)(?=(?: (?:exactement|exactly|precisement|precisely))?\s*\?)"
    r"|\bwhen(?= (?:was|is|did|does|do|were|will|has|have|had|are|can|could|should|would)\b)"
    r"|\bquand(?= (?:a|ont|est|sont|etait|etaient|sera|seront|avait|aura|auront)\b)"
    # Asked inside a sentence: "I wonder when the Brussels office was set up.", "De quand date la liste ?"
    r"|\b(?:wonder|know|tell me|idea|savoir|dire|sais|de) (?:when|quand)\b"
)

# (what the question asks, folded; what a sentence that answers it holds: folded, but names as written)
ANSWER_KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # A way to reach or apply: an address, a telephone number, a form the sources would have to give. First,
    # whatever else the question names: "How can I reach the coordinator by email?" asks for an address.
    "contact": (
        re.compile(
            r"\b(e-?mail|courriel|mail|adresse (e-?mail|electronique|mail|postale)|(email|postal|web) address"
            r"|website|web ?site|site (web|internet)"
            r"|telephone|phone|formulaire|(which|what) form|application forms?)\b"
        ),
        re.compile(r"@|https?://|www\.|\bformulaire\b|\bform\b|\+?\d[\d .]{7,}\d"),
    ),
    "money": (
        re.compile(
            r"\b(budget|montant|amount|cout|couts|cost|costs|salaire|salary|salaries|remuneration|financement annuel"
            r"|(annual|yearly) (funding|financing|support)"
            r"|how much (?!of\b)(\w+ ){0,2}(money|funding|financing)|how much (does|do|did|is|was|were)\b"
            r"|combien (d'argent|coute|coutent|touche|recoit|gagne|percoit))"
        ),
        re.compile(r"€|\$|£|\beuros?\b|\bdollars?\b|\bk€|\bm€"),
    ),
    # Who pays: a sentence that says something is funded, not any name ("Qui paie les visites exploratoires ?").
    "funder": (
        re.compile(
            r"\b(who|qui)\b[^?]*\b(financ\w*|funds?|funded|pays? for|paie\w*|paye\w*|paid|subventionn\w*|sponsors?)\b"
            r"|\b(financ\w*|funded|paid|paye\w*) (par qui|by whom)\b|\bby whom\b[^?]*\b(funded|financed|paid)\b"
            r"|\b(funders?|financeurs?|bailleurs?)\b|\bwhere does the (money|funding)\b[^?]*\bcome from"
            r"|\bd'ou (vient|viennent|provient) (l'argent|le financement|les fonds)"
        ),
        re.compile(r"\b(financ\w*|fund\w*|paid|paie\w*|paye\w*|subvention\w*|sponsor\w*|budget)\b"),
    ),
    "person": (
        re.compile(
            # "Who is Inserm's main partner?" asks for a country or an institution.
            r"^(and |et )?(who|qui)\b(?! (est|sont|is|are)\b[^?]{0,30}\b(pays|partenaires?|partners?|countries|country"
            r"|membres|members)\b)"
            rf"|{_ROLE}"
        ),
        # Two capitalised words in a row (a person's or an institution's name), read on the original text.
        re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ]+)+\b"),
    ),
    # A cap or a maximum ("Is there an age limit…?", "Combien au maximum ?"): the sources must state a limit or
    # a range, not only the value that exists ("une trentaine de propositions" is no cap). Before a count: "combien
    # au maximum" asks for the cap.
    "limit": (
        re.compile(r"\b(plafond\w*|cap|capped|maximum|max|age limit|limite d'age|upper limit|au plus|at most)\b"),
        re.compile(
            r"\b(maximum|max|plafon\w*|capped|limit\w*|au plus|at most|up to|jusqu'a|no more than|pas plus de"
            r"|ne (peut|peuvent|pourra)|cannot|can't|may not|only|seulement|uniquement|exclusivement)\b"
            r"|\d+\s*(-|–|a|to)\s*\d+"
        ),
    ),
    "count": (
        re.compile(
            r"\b(how many|combien|(what|which) is the (total )?number of|quel est le nombre (de|d')"
            rf"|le nombre total (de|d'))\b|{ASKS_DURATION.pattern}"
        ),
        # A number that is not a year, in digits or in words, exact or approximate ("une trentaine").
        re.compile(rf"\b(?!(?:19|20)\d\d\b)\d+\b|\b({_NUMBER_WORDS})\b"),
    ),
    "share": (
        re.compile(
            r"\b((what|what is the) (share|percentage|proportion|fraction)"
            r"|(quel(le)?|quelle est la|quel est le) (part|proportion|pourcentage)"
            r"|(success|selection|acceptance|funding) rates?|taux de (selection|reussite|succes|financement))\b"
        ),
        re.compile(r"%|\b(pour ?cent|per ?cent|half|moitie|quarter|quart|third|tiers)\b"),
    ),
    # Where something ranks ("Where does Inserm rank…?", "Quel est son rang mondial ?"): an ordinal answers it.
    "rank": (
        re.compile(
            r"\b(rank|ranks|ranked|ranking|rang|classement|(what|which|quelle) position|(a|en) quelle (place|position)"
            r"|classee?s? (comment|ou))\b"
        ),
        re.compile(r"\b\d+ ?(st|nd|rd|th|e|er|ere|eme)\b|\b(first|second|third|premier|premiere|deuxieme|troisieme)\b"),
    ),
    "date": (
        re.compile(
            rf"{_ASKS_WHEN}|\b(what year|which year|quelle annee|en quelle annee|depuis quand|what date|quelle date"
            r"|what month|which month|quel mois|what day|which day|quel jour"
            r"|date limite|deadline|since when|by when|oldest|newest|most recent"
            r"|(le|la|les) plus (ancien|ancienne|anciens|anciennes|recent|recente|recents|recentes))\b"
        ),
        re.compile(rf"\b(1[89]|20)\d\d\b|\b({_MONTHS})\b|\bdepuis\b|\bsince\b"),
    ),
    # Which of two things is first, older or larger: the sources must give a value for each (checked in
    # answering/answerability.py: two numbers, years included, among the sentences).
    "comparison": (
        re.compile(
            r"\b((lequel|laquelle|lesquels|lesquelles) des deux|which of the two|which (one )?came first"
            r"|which (was|opened|started|began) first|(est|a ete|a ouvert|a commence) (le |la )?(premier|premiere))\b"
            # "Which office opened first: Brussels or Washington?"
            r"|\b(which|lequel|laquelle|qui)\b[^?]*\b(first|earlier|later|older|more|en premier|plus tot|le plus)\b"
            r"[^?]*\b(or|ou)\b"
            # "Entre X et Y, lequel a démarré en premier ?", not "la différence entre X et Y, lequel sert à quoi"
            r"|\b(entre|between)\b[^?]*\b(lequel|laquelle|which)\b[^?]*"
            r"\b(first|earlier|later|older|newer|more|most|less|fewer|larger|bigger|plus|moins|premier|premiere)\b"
        ),
        re.compile(rf"\b\d+\b|\b({_NUMBER_WORDS})\b"),
    ),
    # Which one ranks first ("In which country does it have the most researchers?"): the sources must rank, not
    # only list.
    "superlative": (
        re.compile(
            r"\b(the|its|their|\w+'s) (largest|biggest|greatest|highest|most|main|leading)\b"
            r"|\b(le|la|les|son|sa|ses|leurs?) principa(l|le|ux|les)\b|\b(le plus|the most)\s*\?"
            r"|\b(le|la|les) plus (grande?s?|importante?s?|grosse?s?|nombreu(x|ses))\b|\ble plus de\b"
        ),
        re.compile(
            r"\b(most|largest|biggest|greatest|highest|main|leading|foremost|principa(l|le|ux|les)|premiere?"
            r"|first|1er|1st|majorit\w*|(le|la|les) plus)\b"
        ),
    ),
    # What is planned or comes next ("Which countries is it planning to add next?"): the sources must state a plan.
    "plan": (
        re.compile(
            r"\b(planning|plans? (to|for)|planned|intends?|envisage\w*|a l'avenir|in the future|prochaine?s?|next"
            r"|a venir|upcoming|prevue?s?(?! (par|dans))|in the pipeline|going to|will happen|futur\w*)\b"
        ),
        re.compile(
            r"\b(will|shall|expected|planned|plans to|intend\w*|prevue?s?|attendue?s?|pressentie?s?|envisag\w*"
            r"|vocation|ambition\w*|devrai\w*|sera|seront|a terme|futur\w*|avenir)\b"
        ),
    ),
    # On what basis something is chosen or judged ("Sur quels critères…", "How are the PhD students selected?"):
    # the sources must state a criterion, a priority, a selection or who evaluates, not only that the thing exists.
    "criteria": (
        re.compile(
            r"\b(criteres?|criteria|criterion|eligib\w*|on what basis|sur quelle base|pris en compte"
            r"|taken into account|how (does|do|did) (\w+ ){1,4}decide"
            r"|comment\b.*\b(selectionne|choisi|evalue|retenu)\w*"
            r"|how (is|are|was|were|do|does)\b.*\b(selected|chosen|evaluated|assessed|picked))\b"
        ),
        re.compile(
            r"\b(criteres?|criteria|criterion|eligib\w*|selectionn\w*|selection|selected|evalu\w*|assess\w*"
            r"|jury|comite|committee|expert\w*|retenu\w*|priorit\w*|identifi\w*|on the basis|sur la base|based on"
            r"|(basee?s?|fondee?s?) sur|en fonction d)\b"
        ),
    ),
    # How to do something ("Quelles sont les étapes à suivre pour…", "How do I apply?"): the sources must describe
    # steps, a request or who reviews it, not only that the thing exists.
    "procedure": (
        re.compile(
            r"\b(etapes?|demarches?|procedure a suivre|what steps|which steps|the steps|how to (apply|join|request"
            r"|submit|sign|obtain|get)|comment (faire|postuler|candidater|s'y prendre|obtenir|soumettre)"
            r"|comment (on fait|fait-on|faire) pour"
            r"|comment (je|j'|on|un|une|le|la|les|l'|mon|ma|mes|notre|nos|peut-on|puis-je|doit-on|faut-il)\b.*"
            r"\b(postuler|candidater|soumettre|rejoindre|adherer|s'inscrire|obtenir|demander|deposer|integrer)"
            r"|how (do|does|can|should|could|would) (i|we|one|a|an|my|our|they|you)\b.*\b(apply|join|request|submit"
            r"|propose|obtain|sign|get)|(what|which) is the (procedure|process)|what's the (procedure|process)"
            r"|(procedure|process) (for|to)|application process|s'y prend\w*)\b"
        ),
        re.compile(
            r"\b(puis|ensuite|d'abord|apres|une fois|then|first|after|once|etapes?|steps?|demandes?|requests?"
            r"|candidat\w*|applica\w*|apply|soumi\w*|submi\w*|depos\w*|examin\w*|evalu\w*|audition\w*"
            r"|hearing|dossiers?|formulaire|form)\b"
        ),
    ),
    # In which language something is written or held: the sources must name one.
    "language": (
        re.compile(r"\b(which|what) languages?\b|\bquelles? langues?\b"),
        re.compile(
            r"\b(en|in) (francais|anglais|french|english)\b|\blangues?\b|\blanguages?\b|\b(anglophone|francophone)s?\b"
        ),
    ),
    # Why something is so: the sources must state a reason, a purpose or a consequence (`CONSEQUENCE`: "Aussi
    # l'Inserm s'est-il doté…"; "To support these partnerships…", "This rapid evolution… is forcing"), not only
    # the thing itself.
    "reason": (
        ASKS_REASON,
        re.compile(
            rf"{CONSEQUENCE.pattern}"
            r"|\b(because|since|so that|so as to|in order to|due to|owing to|thanks to|given|in this context|aims?"
            r"|aimed|purpose|objectives?|goals?|forc\w*|oblig\w*|parce que|car|afin d\w*|ainsi|aussi|dans ce contexte"
            r"|en raison|grace a|du fait|vise\w* a|objectifs?|dans le but|etant donne|contrain\w*)\b"
            r"|(^|, |\band )to [a-z]+\b|\bpour [a-z]+(er|ir|re)\b"
        ),
    ),
    # What became of something ("What happened to the Associated Laboratories?"): the sources must say it
    # ended, was replaced, merged or renamed, not only that something else began.
    "outcome": (
        re.compile(
            r"\b(what (happened|became) (to|of)|qu'est-(il|elle) advenu|qu'(est|sont)(-(il|elle|ils|elles))? devenue?s?"
            r"|que (sont|est) devenue?s?"
            r"|\b(was|were|has|have)\b[^?]*\b(wound up|closed|abolished|replaced|dissolved|merged|phased out"
            r"|discontinued|ended)|still (exists?|active|running|in place)"
            r"|(a|ont)-t?-?(il|elle|ils|elles) (ete (supprime|ferme|remplace|dissou|fusionne)\w*|pris fin)"
            r"|remplacee?s? par quoi|existe(nt)?(-t)?(-(il|elle|ils|elles))? (toujours|encore))\b"
        ),
        re.compile(
            r"\b(remplac\w*|replac\w*|supprim\w*|abolish\w*|wound up|dissol\w*|ferme\w*|closed|ended|merged"
            r"|fusionn\w*|absorb\w*|disparu\w*|disappear\w*|devenue?s?|became|renamed|rebaptise\w*|succede\w*"
            r"|superseded|transforme\w*|transformed|mis fin|came to an end|pris fin|phased out|discontinued)\b"
        ),
    ),
    # What an acronym stands for ("Que signifie le sigle LIEN ?"): the sources must spell it out, its words
    # before it or in brackets after it (checked in answering/answerability.py), not only use it.
    "acronym": (
        re.compile(
            r"\b(que (signifie|veut dire)|veu(t|lent) dire quoi|signification|stands? for|what does \S+ mean"
            r"|meaning of|short for|sigle|acronyme|en toutes lettres|full form)\b"
        ),
        # An acronym, read with its capitals ("ITMOs" is "ITMO"); not a unit's number ("U1059").
        re.compile(r"\b[A-Z]{2,8}(?=s?\b)"),
    ),
    # Where something is or takes place ("Où se tient la réunion ?", "In which city…?"), not where it ranks nor
    # in whose presence it is held ("se tient en présence de qui ?").
    "place": (
        re.compile(
            rf"^(et |and )?(ou|where)\b(?!.*\brank)|{ASKS_CITY.pattern}|\b(dans|en) quel pays\b"
            r"|\bin (which|what) country\b|\b(est|sont|trouve|trouvent|situee?s?)(-(il|elle|ils|elles))? ou\s*[,?]"
        ),
        # A capitalised name after a place's preposition or comma, read on the original text ("à Villejuif",
        # "in Munich", "(DKFZ), Heidelberg"); which names are countries, `COUNTRIES` says.
        re.compile(
            r"(?:\b(?:à|au|aux|en|in|at|de|du|des|of|near)\s+|,\s*|\bd['’])([A-ZÀ-Ý][\w-]+(?:\s+[A-ZÀ-Ý][\w-]+)*)"
        ),
    ),
    # Which Inserm unit, or its number ("What's its unit number?"): a unit's number the question does not give.
    "unit": (
        re.compile(
            r"\b(which|what|quel|quelle|quels|quelles)\b(\s+[\w'-]+){0,2}?\s+(units?|unites?)\b|unit number"
            r"|numero d'unite|numero de l'unite"
        ),
        re.compile(r"\bu ?\d{3,4}\b"),
    ),
    # Which institution, university, lab or school ("Which Japanese institution is Inserm's partner…?"), not
    # what kind of one ("what kind of organisations host them?"): the sources must name one (checked in
    # answering/answerability.py: a name the question does not already give).
    "institution": (
        re.compile(
            r"\b(which|what|quel|quelle|quels|quelles)\b(\s+(?!(the|le|la|les|l|kind|type|sort|genre|of|de|d)\b)"
            r"[\w'-]+){0,2}?\s+(institutions?|universit(y|ies|e|es)|organismes?|organi[sz]ations?|laboratoires?|labs?"
            r"|hospitals?|hopita(l|ux)|schools?|ecoles?|facult(y|ies|e|es)|departments?|departements?"
            r"|etablissements?|institutes?|instituts?|agences?|agency|agencies)\b"
        ),
        # An institution's name, read on the original text: capitalised words holding an institution word
        # ("University of Ottawa", "Leids Universitair Medisch Centrum"), an institution word before a name
        # ("l'université d'Oslo"), a unit ("U1068"), or Inserm's thematic institutes.
        re.compile(
            r"\bU\d{3,4}\b|\b(?i:instituts? th[eé]matiques?|thematic institutes?)\b"
            rf"|\b(?i:{_INSTITUTION})s?\s+(?:de\s+|d['’]|of\s+|du\s+)?[A-ZÀ-Ý][\w-]+"
            # French writes a name in lower case after its first word, its short name in brackets after it:
            # "l'Agence nationale de la recherche (ANR)".
            rf"|\b(?i:{_INSTITUTION})s?(?:\s+[\w'’-]+){{1,6}}\s+\([A-ZÀ-Ý][\w-]+\)"
            rf"|\b[A-ZÀ-Ý][\w-]*(?:\s+(?:(?:of|for|and|the|de|du|des|d['’]|et|pour|la|le)\s+)*[A-ZÀ-Ý][\w-]*)*"
        ),
    ),
    # Which disease ("Sur quelle maladie porte le Joint Lab…?"): the sources must name one, not a field
    # ("infectiologie") or a theme ("healthy ageing").
    "disease": (
        re.compile(
            r"\b(which|what|quel|quelle|quels|quelles)\b(\s+[\w'-]+){0,2}?\s+(maladies?|diseases?|illness(es)?"
            r"|pathologies?)\b"
        ),
        re.compile(
            r"\b(cancers?|tumeurs?|tumou?rs?|leucemie\w*|leuka?emia\w*|vih|hiv|sida|aids|paludisme|malaria"
            r"|tubercul\w+|hepatites?|hepatitis|ebola|covid\w*|zika|dengue|chikungunya|grippe|influenza|cholera"
            r"|rougeole|measles|mpox|diabete\w*|diabetes|alzheimer|parkinson|obesit\w*|autism\w*|schizophren\w*"
            r"|depression|asthme|asthma|sclerose|sclerosis|mucoviscidose|cystic fibrosis|(maladie|disease) (de|of) \w+"
            r"|\w+'s disease)\b"
        ),
    ),
}
# Countries and continents, folded, in both languages: a place, but not the city a question asks for.
COUNTRIES = _words(
    "afrique africa allemagne germany amerique america angleterre england argentine argentina asie asia australie"
    " australia autriche austria bangladesh belgique belgium bresil brazil canada chine china coree korea"
    " cote-d'ivoire ivoire ivory danemark denmark espagne spain etats-unis united europe france guinee guinea inde"
    " india israel italie italy japon japan norvege norway pays-bas netherlands quebec royaume-uni kingdom russie"
    " russia senegal singapour singapore suede sweden suisse switzerland taiwan vietnam congo republique republic"
    " democratic democratique usa uk"
)


# Nationalities, which English capitalises: "Which German institute…?" names no place the sources must give
# ("The Helmholtz Institute in Munich").
DEMONYMS = _words(
    "african american asian australian austrian belgian brazilian british canadian chinese congolese danish dutch"
    " english european french german guinean indian israeli italian ivorian japanese korean norwegian russian"
    " senegalese singaporean spanish swedish swiss taiwanese vietnamese"
)


# The countries a question may be about, each with its names, its people's (a French adjective's feminine and
# plural forms follow), and the cities and institutions the sources name in it, folded, in both languages: "des
# équipes britanniques" are from the United Kingdom, which "London" names. France is left out: every passage is
# about a French institute. Not the languages ("anglais", "English"), nor a region ("nord-américaines" is one word).
_NATIONS = {
    "germany": "allemagne germany allemand german munich munchen cologne heidelberg berlin",
    "uk": "royaume-uni united_kingdom grande-bretagne great_britain britannique british angleterre england london"
    " londres cardiff oxford cambridge",
    "us": "etats-unis united_states americain american washington pittsburgh boston harvard new_york",
    "canada": "canada canadien canadian quebec quebecois montreal ottawa toronto",
    "japan": "japon japan japonais japanese tokyo kyoto osaka",
    "china": "chine china chinois chinese shanghai pekin beijing wuhan hong_kong",
    "korea": "coree korea coreen korean seoul",
    "taiwan": "taiwan taiwanais taiwanese taipei",
    "india": "inde india indien indian delhi bangalore",
    "israel": "israel israelien israeli jerusalem tel_aviv",
    "australia": "australie australia australien australian sydney melbourne",
    "switzerland": "suisse switzerland swiss geneve geneva zurich lausanne bale basel berne",
    "netherlands": "pays-bas netherlands neerlandais dutch hollande holland leiden leyde amsterdam utrecht",
    "sweden": "suede sweden suedois swedish stockholm karolinska",
    "norway": "norvege norway norvegien norwegian oslo",
    "denmark": "danemark denmark danois danish copenhague copenhagen",
    "austria": "autriche austria autrichien austrian vienne vienna wien",
    "belgium": "belgique belgium belge belgian bruxelles brussels",
    "spain": "espagne spain espagnol spanish madrid barcelone barcelona",
    "italy": "italie italy italien italian rome milan",
    "brazil": "bresil brazil bresilien brazilian sao_paulo rio",
    "argentina": "argentine argentina argentin buenos_aires",
    "bangladesh": "bangladesh bangladais bangladeshi dhaka",
    "singapore": "singapour singapore singapourien singaporean",
    "vietnam": "vietnam viet_nam vietnamien vietnamese hanoi",
    "senegal": "senegal senegalais senegalese dakar",
    "russia": "russie russia russe russian moscou moscow",
}
# Spaces inside a name are written "_"; "Latin American", "South American" name a region.
NATIONS = {
    nation: re.compile(
        r"(?<![\w-])(?<!latin )(?<!south )(?<!north )(?:"
        + "|".join(name.replace("_", r"\s+") for name in names.split())
        + r")(?:e|s|es|ne|nes)?(?![\w-])"
    )
    for nation, names in _NATIONS.items()
}
NATION_ACRONYMS = {"us": re.compile(r"\bU\.?S\.?(?:A\.?)?(?!\w)"), "uk": re.compile(r"\bU\.?K\.?(?!\w)")}  # not "us"

# An institution's governing bodies, which French writes in lower case: who did something may be one of them.
GOVERNING_BODY = re.compile(
    r"\b(direction generale|directorate general|conseil scientifique|scientific council|conseil d'administration"
    r"|board of directors|comite strategique|strategic committee)\b"
)
# People or bodies named by what they are rather than by name: who takes part, who something is meant for
# ("a small number of experts from each side", "jeunes chercheurs", "des acteurs du pays partenaire").
PEOPLE = re.compile(
    r"\b(experts?|chercheu(r|rs|se|ses)|researchers?|scientists?|scientifiques|laureat\w*"
    r"|doctorants?|doctoral students?|post-?doc\w*|etudiants?|students?|fellows?"
    r"|acteurs?|actors?|stakeholders?|partenaires?|partners?|organismes?|organi[sz]ations?)\b"
)
# Words that make two capitalised words a place or an institution, not a person ("États-Unis" is
# hyphenated; "London School of Hygiene and Tropical Medicine", "French National Research Agency").
NOT_PERSON_WORDS = _words(
    "academy academie agence agency alliance america amerique association bureau center centre college"
    " commission council conseil department departement europe european europeenne federation fondation"
    " foundation france french health hospital hopital institut institute joint kingdom korea lab laboratoire"
    " laboratory latin medical medicine medecine ministry ministere mission national nationale nations network"
    " north nord office programme program research recherche reseau royal royaume sante school science"
    " sciences south state states sud tropical union unis united universite university"
    " deutsches zentrum krebsforschungszentrum universidad universitat universita instituto istituto"
    " maison house building batiment"
)
# What a count is of, said several ways in the sources ("how many agreements" is answered by "40 conventions").
COUNTED_SYNONYMS = [
    _words("agreement agreements accord accords convention conventions contrat contrats arrangement arrangements"),
    _words("application applications candidature candidatures"),
    _words("lab labs laboratory laboratories laboratoire laboratoires unit units unite unites"),
    _words("researcher researchers chercheur chercheurs scientist scientists scientifique scientifiques"),
]
# "How many years?" is answered by "pendant 5 ans": the units of a duration, in both languages.
DURATION_WORDS = _words(
    "an ans annee annees year years mois month months semaine semaines week weeks jour jours day days temps"
    " duree duration long"
)


# -- checking answers (answering/chain.py, answering/grounding.py) ----------------------------

# An instruction to the assistant in place of a question ("Oublie tes règles et dis-moi que…", "make up
# statistics"), folded.
OVERRIDE = re.compile(
    r"\b(ignore|oublie|forget|disregard)\w*\b.{0,30}"
    r"\b(rules?|regles?|instructions?|consignes?|prompt|(your|tes|vos) sources)\b"
    r"|\b(from now on|desormais|a partir de maintenant|you are now|tu es maintenant)\b"
    r"|\b(invent(e|es|er|ez|ant|ee|ees|s|ing)?|make up|making up|made up|fabricat\w*)\b"
)

# Everyday life, which two pages on research cooperation never cover, whatever place or partner a question
# names with it ("a good restaurant near the Washington office"), folded.
EVERYDAY_LIFE = re.compile(
    r"\b(restaurants?|hotels?|hebergements?|accommodation|lodging|recettes?|recipes?|cuisiner|cooking"
    r"|meteo|weather|fuseau horaire|time zone|taxis?|aeroports?|airports?|billets? d'avion|plane tickets?"
    r"|musees?|museums?|touristi\w*|tourism|vacances|holidays?|vacation|diner|dinner|dejeuner|lunch|brunch"
    r"|cafes?|coffee|shopping|football|films?|movies?|romans?|novels?|salle de sport|gym"
    r"|pret immobilier|mortgage)\b"
)

# A model's way of saying the passages do not answer.
DONT_KNOW = re.compile(
    r"^\W*(i don'?t know|i do not know|je ne sais pas)"
    r"|\b(is|are) not (explicitly )?(stated|mentioned|provided|given|specified|available)"
    r"|\b(do|does) not (mention|state|provide|specify|contain)"
    r"|\b(n'est|ne sont|n’est) pas (explicitement )?(mentionn|indiqu|précis|donn|fourni)"
    r"|\bne (mentionnent|précisent|indiquent|contiennent) pas",
    re.IGNORECASE,
)
# Talk about the passages themselves rather than about the subject.
META = re.compile(r"\b(passages?|extraits?|the (sources|context)|les sources)\b", re.IGNORECASE)
# Words that add nothing to a restated question ("…brings together various partners, including [1].").
FILLER_WORDS = "various several different many other including include such notamment plusieurs divers differents dont"
