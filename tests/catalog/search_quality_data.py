"""The search-quality set: captioned items in three languages and both scripts, and queries
with the items each must find (what a member of staff typing it means)."""

from __future__ import annotations

# key: (titles by language, descriptions by language, fields). A title under "und" has
# no language given, as when a sidecar says title = "…".
ITEMS: dict[str, tuple[dict[str, str], dict[str, str], dict[str, object]]] = {
    "k01": (
        {"en": "Felt rug drying in Khorog"},
        {"en": "A freshly fulled rug on the wall."},
        {
            "technique": ("felting",),
            "object_type": ("felt-rug",),
            "place": "khorog",
            "material": ("sheep-wool",),
            "taken_at": "2015-08-14T10:00:00",
        },
    ),
    "k02": (
        {"ru": "Джурабы из Хорога"},
        {"ru": "Вязание носков из овечьей шерсти."},
        {"place": "khorog", "taken_at": "2019-05-01T09:00:00"},
    ),
    "k03": (
        {"tg": "Намадмолӣ дар Роштқалъа"},
        {},
        {"place": "roshtqala", "kind": "video", "taken_at": "2012-06-01T12:00:00"},
    ),
    "k04": (
        {"en": "Knitted socks at Mardilaat"},
        {"en": "Stall of the Pamir knitters."},
        {"place": "tallinn", "event": "Mardilaat 2015", "taken_at": "2015-11-07T10:00:00"},
    ),
    "k05": (
        {"tg": "Ҷӯроб аз Хоруғ"},
        {"tg": "Ҷӯроб бо нақши кӯҳӣ."},
        {"taken_at": "2016-03-02T10:00:00"},
    ),
    "k06": (
        {"en": "Carding wool before spinning"},
        {"en": "An elder cards sheep wool with two hand cards in the Bartang valley."},
        {"place": "bartang", "process_step": ("carding",), "taken_at": "2015-08-20T10:00:00"},
    ),
    "k07": (
        {"ru": "Прядение шерсти на веретене"},
        {"ru": "Бабушка прядёт пряжу в Мургабе."},
        {"place": "murghab", "taken_at": "2016-07-01T10:00:00"},
    ),
    "k08": (
        {"en": "Embroidered suzani from Shughnan"},
        {},
        {"technique": ("embroidery",), "place": "shughnan", "taken_at": "2017-09-01T10:00:00"},
    ),
    "k09": (
        {"tg": "Гулдӯзӣ дар Ишкошим"},
        {},
        {"place": "ishkashim", "taken_at": "2018-04-01T10:00:00"},
    ),
    "k10": (
        {"en": "Dyeing yarn with walnut husks"},
        {"en": "Natural dyes boiled in a copper pot in Vanj."},
        {
            "process_step": ("dyeing",),
            "material": ("natural-dye",),
            "place": "vanj",
            "taken_at": "2015-09-03T10:00:00",
        },
    ),
    "k11": (
        {"ru": "Валяние войлока в Мургабе"},
        {},
        {"place": "murghab", "taken_at": "2014-06-01T10:00:00"},
    ),
    "k12": (
        {"en": "Shyrdak felt carpet in Murghab"},
        {},
        {"object_type": ("shyrdak",), "place": "murghab", "taken_at": "2014-06-02T10:00:00"},
    ),
    "k13": (
        {"en": "Rubab maker in his Khorog workshop"},
        {},
        {
            "technique": ("instrument-making",),
            "object_type": ("rubab",),
            "place": "khorog",
            "kind": "video",
            "taken_at": "2013-10-10T10:00:00",
        },
    ),
    "k14": (
        {"tg": "Устои рубоб дар Душанбе"},
        {},
        {"place": "dushanbe", "taken_at": "2013-11-11T10:00:00"},
    ),
    "k15": (
        {"en": "Crocheted jurab"},
        {"en": "Slip-stitch crochet worked with a hook."},
        {"technique": ("slip-stitch-crochet",), "taken_at": "2020-02-02T10:00:00"},
    ),
    "k16": (
        {"en": "Telliskivi market stall"},
        {"en": "Wool socks for sale at the flea market."},
        {
            "place": "telliskivi",
            "process_step": ("selling-exhibiting",),
            "taken_at": "2015-08-29T10:00:00",
        },
    ),
    "k17": (
        {"ru": "Выставка в Тарту"},
        {"ru": "Памирские ремёсла на выставке в Тарту."},
        {"place": "tartu", "taken_at": "2019-09-09T10:00:00"},
    ),
    "k18": (
        {"en": "Washing fleece in the river"},
        {"en": "Wool is rinsed in the Panj, Wakhan."},
        {"place": "wakhan", "process_step": ("washing",), "taken_at": "2016-06-06T10:00:00"},
    ),
    "k19": (
        {"en": "Inside a Pamiri house"},
        {"en": "The skylight of a chid in Roshtqal'a."},
        {"object_type": ("pamiri-house",), "place": "roshtqala", "taken_at": "2012-06-02T10:00:00"},
    ),
    "k20": ({"tg": "Қолинбофӣ дар Ванҷ"}, {}, {"place": "vanj", "taken_at": "2015-09-04T10:00:00"}),
    "k21": (
        {"en": "Weaving a flat rug on a ground loom"},
        {},
        {
            "technique": ("weaving",),
            "object_type": ("flatweave-rug",),
            "taken_at": "2011-05-05T10:00:00",
        },
    ),
    "k22": (
        {"ru": "Шерстяные перчатки и варежки"},
        {},
        {"object_type": ("gloves-mittens",), "taken_at": "2018-12-12T10:00:00"},
    ),
    "k23": (
        {"en": "Camel wool yarn"},
        {},
        {"material": ("camel-wool",), "taken_at": "2017-01-01T10:00:00"},
    ),
    "k24": (
        {"en": "Carved wooden pillar"},
        {"en": "Woodcarving on a mulberry wood pillar."},
        {
            "technique": ("woodcarving",),
            "material": ("wood",),
            "place": "darvoz",
            "taken_at": "2017-05-05T10:00:00",
        },
    ),
    "k25": (
        {"en": "Portrait of a felt maker"},
        {"en": "She has made felt since 1970."},
        {"place": "darvoz", "taken_at": "2017-05-06T10:00:00"},
    ),
    "k26": (
        {"en": "Old town of Tallinn in the snow"},
        {},
        {"place": "tallinn", "taken_at": "2016-01-15T10:00:00"},
    ),
    "k27": (
        {"ru": "Носки с узором"},
        {"ru": "Узоры вяжут по памяти."},
        {"place": "rushan", "taken_at": "2016-08-08T10:00:00"},
    ),
    "k28": (
        {"und": "Хушконидани намад дар офтоб"},
        {},
        {
            "object_type": ("felt-rug",),
            "process_step": ("drying",),
            "taken_at": "2015-08-15T10:00:00",
        },
    ),
    "k29": (
        {"en": "Silk threads for embroidery"},
        {},
        {"material": ("silk",), "taken_at": "2018-04-02T10:00:00"},
    ),
    "k30": (
        {"und": "Mardilaat fair, Tallinn"},
        {"und": "The St Martin's Day fair."},
        {
            "place": "mardilaat",
            "taken_at": "2016-11-12T10:00:00",
            "camera_make": "Apple",
            "camera_model": "iPhone 6s",
        },
    ),
    # Word forms (issue 14): Russian lemmas, Tajik endings, word families, both scripts.
    "k31": ({"ru": "Ковры сушатся на солнце"}, {}, {"taken_at": "2016-07-10T10:00:00"}),
    "k32": (
        {"ru": "Платки, вышитые бабушкой"},
        {},
        {"place": "shughnan", "taken_at": "2017-09-02T10:00:00"},
    ),
    "k33": ({"ru": "Войлочные шапки"}, {}, {"taken_at": "2014-06-03T10:00:00"}),
    "k34": ({"ru": "Девушки прядут у дома"}, {}, {"taken_at": "2016-07-02T10:00:00"}),
    "k35": ({"tg": "Ҷӯробҳои пашмин"}, {}, {"taken_at": "2016-03-03T10:00:00"}),
    "k36": ({"tg": "Гулдӯзиҳои занони Ишкошим"}, {}, {"taken_at": "2018-04-03T10:00:00"}),
    "k37": ({"tg": "Қолинҳоямонро мебофем"}, {}, {"taken_at": "2015-09-05T10:00:00"}),
    "k38": ({"tg": "Рӯймоли абрешимӣ"}, {}, {"taken_at": "2018-04-04T10:00:00"}),
    "k39": ({"en": "Spun yarn on a spindle"}, {}, {"taken_at": "2016-07-03T10:00:00"}),
    "k40": ({"en": "Dyed skeins drying"}, {}, {"taken_at": "2015-09-06T10:00:00"}),
}

FELT = {"k01", "k03", "k11", "k12", "k25", "k28", "k33"}
# shyrdak, a felt maker and felt hats: felting too
FELTING = {"k01", "k03", "k11", "k12", "k25", "k33"}
KNITTING = {"k02", "k04", "k27"}  # k27: "Узоры вяжут" (they knit the patterns)
JURAB = {"k02", "k04", "k05", "k15", "k16", "k27", "k35"}
EMBROIDERY = {"k08", "k09", "k32", "k36"}  # k32 "вышитые", k36 "Гулдӯзиҳо"
RUGS = {"k01", "k12", "k21", "k28", "k31", "k37"}  # k31 "Ковры", k37 "Қолинҳоямонро"
SPINNING = {"k06", "k07", "k34", "k39"}  # k34 "прядут", k39 "Spun"
WOOL = {"k01", "k02", "k06", "k07", "k16", "k18", "k22", "k23", "k35"}  # k35 "пашмин"
KHOROG = {"k01", "k02", "k05", "k13"}
GBAO = KHOROG | {
    "k03",
    "k06",
    "k07",
    "k08",
    "k09",
    "k10",
    "k11",
    "k12",
    "k18",
    "k19",
    "k20",
    "k27",
    "k32",
    "k36",
    "k24",
    "k25",
}

# (query, items it must find). Precision counts every other item found as a false hit.
QUERIES: list[tuple[str, set[str]]] = [
    # spelling variants and scripts
    ("khorog", KHOROG),
    ("Khorugh", KHOROG),
    ("Хорог", KHOROG),
    ("Хоруғ", KHOROG),
    ("xorugh", KHOROG),
    ("хорога", KHOROG),
    ("jurab", JURAB),
    ("джурабы", JURAB),
    ("ҷӯроб", JURAB),
    ("jurob", JURAB),
    ("djurab", JURAB),
    ("socks", JURAB),
    ("носки", JURAB),
    ("namadmoli", FELTING),
    ("намадмолӣ", FELTING),
    ("валяние", FELTING),
    ("roshtqala", {"k03", "k19"}),
    ("Роштқалъа", {"k03", "k19"}),
    ("Рошткала", {"k03", "k19"}),
    ("murghab", {"k07", "k11", "k12"}),
    ("Мургаб", {"k07", "k11", "k12"}),
    ("Vanj", {"k10", "k20"}),
    ("Ванч", {"k10", "k20"}),
    ("dushanbe", {"k14"}),
    ("Душанбе", {"k14"}),
    ("rubab", {"k13", "k14"}),
    ("рубоб", {"k13", "k14"}),
    ("suzani", {"k08"}),
    ("gulduzi", EMBROIDERY),
    ("вышивка", EMBROIDERY),
    ("qolinbofi", {"k20"}),
    ("carpet knotting", {"k20"}),
    # typos, with and without a tilde
    ("horog~", KHOROG),
    ("khorogg~", KHOROG),
    ("jurb~", JURAB),
    ("murgab~", {"k07", "k11", "k12"}),
    ("embroidry~", EMBROIDERY | {"k29"}),
    ("telliskvi~", {"k16"}),
    ("Тaрту~", {"k17"}),
    # stems and word forms
    ("knitting", KNITTING),
    ("knit", KNITTING),
    ("knits", KNITTING),
    ("felted", FELT),
    ("rugs", RUGS),
    ("шерсть", WOOL),
    ("выставка", {"k16", "k17", "k30"}),
    ("пряжа", {"k07", "k10", "k23", "k39"}),
    ("spinning", SPINNING),
    ("прядение", SPINNING),
    # places under regions and countries
    ("place:gbao", GBAO),
    ("place:khorog", KHOROG),
    ("place:rushan", {"k27", "k06"}),
    ("place:estonia", {"k04", "k16", "k17", "k26", "k30"}),
    ("place:tallinn", {"k04", "k16", "k26", "k30"}),
    ("place:ishkashim", {"k09", "k18", "k36"}),
    ("felting place:murghab", {"k11", "k12"}),
    ("Badakhshan", GBAO),
    ("pamir", GBAO),
    # vocabulary filters in any language
    ("technique:felting", FELTING),
    ("technique:намадмолӣ", FELTING),
    ("technique:embroidery", EMBROIDERY),
    ("object:rubab", {"k13", "k14"}),
    ("material:silk", {"k29", "k38"}),
    ("step:dyeing", {"k10", "k40"}),
    ("object:jurab", JURAB),
    # phrases
    ('"felt rug"', {"k01", "k12", "k28"}),
    ('"wool socks"', JURAB),
    ('"felt maker"', {"k25"}),
    ('"Pamiri house"', {"k19"}),
    # dates, kinds, negation, cameras
    ("year:2015 felt", {"k01", "k28"}),
    ("date:2015-08..2015-09 place:gbao", {"k01", "k06", "k10", "k20"}),
    ("taken:>2019", {"k15"}),
    ("kind:video", {"k03", "k13"}),
    ("jurab -place:estonia", JURAB - {"k04", "k16"}),
    ("camera:iphone", {"k30"}),
    ("mardilaat", {"k04", "k30"}),
    # Russian word forms: a fleeting vowel, a plural, a verb, adjectives of a family
    ("ковёр", RUGS),
    ("ковры", RUGS),
    ("платок", {"k32"}),
    ("платки", {"k32"}),
    ("вязать", KNITTING),
    ("вяжут", KNITTING),
    ("войлок", FELT | {"k33"}),
    ("войлочный", FELT | {"k33"}),
    ("прясть", SPINNING),
    ("вышитый", EMBROIDERY),
    # Tajik endings: plural, izofat, possessive, object, -ӣ, in both scripts
    ("ҷӯробҳо", JURAB | {"k35"}),
    ("jurobho", JURAB | {"k35"}),
    ("гулдӯзӣ", EMBROIDERY),
    ("гулдӯзиҳо", EMBROIDERY),
    ("қолин", RUGS - {"k28"} | {"k20"}),  # k28 is a namad, felt
    ("qolinho", RUGS - {"k28"} | {"k20"}),
    ("абрешим", {"k29", "k38"}),
    ("пашм", WOOL),
    # English word forms and families
    ("dyeing", {"k10", "k40"}),
    ("embroidered", EMBROIDERY),
]
