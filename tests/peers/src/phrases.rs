//! Phrase banks for the generated journal, in eight languages the people
//! Parasol serves write in (the DESIrE countries' languages, English, and
//! two of the most common among migrant workers there), with their
//! diacritics and one Cyrillic script.
//!
//! Slots filled by [`crate::dataset`]: `{time}`, `{amount}`, `{name}`,
//! `{day}`, `{room}`, `{hotel}`, `{street}`, `{plate}`.
//!
//! The search words are fixed here: [`COMMON_WORD`] occurs only in each
//! language's `common` sentence (as the token "Hotel"), [`SELECTIVE_WORD`]
//! only in its `selective` sentence; `dataset`'s tests check that no other
//! phrase contains either.

/// The word of the common-word search.
pub const COMMON_WORD: &str = "hotel";
/// The word of the selective search (a surname no other phrase contains).
pub const SELECTIVE_WORD: &str = "kowalczyk";

/// One language's phrases.
pub struct Lang {
    pub code: &'static str,
    pub titles: &'static [&'static str],
    pub sentences: &'static [&'static str],
    /// The sentence holding the common word.
    pub common: &'static str,
    /// The sentence holding the selective word.
    pub selective: &'static str,
    /// Day names as the sentences use them (with preposition where needed).
    pub days: &'static [&'static str],
    pub when: &'static [&'static str],
    pub places: &'static [&'static str],
    pub persons: &'static [&'static str],
    pub vehicles: &'static [&'static str],
    pub taken: &'static [&'static str],
    pub follow_up: &'static [&'static str],
    pub tags: &'static [&'static str],
}

/// First names for `{name}` (friends, support workers).
pub const NAMES: &[&str] = &[
    "Ana",
    "Marta",
    "Joanna",
    "Ewa",
    "Ivana",
    "Lina",
    "Sanne",
    "Bianca",
    "Noor",
    "Elif",
    "Sofía",
    "Mihaela",
    "Kasia",
    "Dragana",
    "Tomás",
    "Ali",
    "Jonas",
    "Zoë",
    "Małgorzata",
    "Jelena",
];
/// Hotel names after the common word.
pub const HOTELS: &[&str] = &["Astoria", "Central", "Europa", "Park", "Nord", "Baltic"];
/// Street names for `{street}`.
pub const STREETS: &[&str] = &[
    "Grzybowska",
    "Ilica",
    "Sveavägen",
    "Vaartstraat",
    "Calea Moșilor",
    "Calle Alcalá",
    "Витоша",
    "Łąkowa",
    "Šubićeva",
    "Kungsgatan",
];
/// First letters of number plates for `{plate}`.
pub const PLATES: &[&str] = &["KR", "ZG", "WX", "AB", "ST", "B", "GD", "RI"];

/// Every language of the data set.
pub const LANGS: &[Lang] = &[EN, NL, PL, SV, HR, RO, ES, BG];

const EN: Lang = Lang {
    code: "en",
    titles: &[
        "Booking with a new client",
        "Client did not pay the full amount",
        "Police check at the flat",
        "Felt unsafe tonight",
        "Notes for the lawyer",
        "Landlord asked for more money",
        "Problem with a regular",
    ],
    sentences: &[
        "He arrived at {time} and seemed calm at first.",
        "We agreed on {amount} EUR for one hour, but he paid only part of it.",
        "He refused to use a condom, so I ended the booking.",
        "I sent {name} the address and a photo of the car before I went in.",
        "Two officers came to the door at {time} and asked to see my ID.",
        "They did not say why they came and did not leave a card.",
        "The landlord says the rent for the room goes up again next month.",
        "He kept asking for my real name and where I live.",
        "After he left I checked the room and locked the door.",
        "{name} from the support group said I can come to the drop-in on {day}.",
        "I wrote down his number in case he calls again.",
        "Next time I will see new clients only in the afternoon.",
    ],
    common: "The meeting was at Hotel {hotel}, room {room}.",
    selective: "He said his name was Kowalczyk.",
    days: &[
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    when: &[
        "{day} about {time}",
        "{day} evening",
        "{day} night, after {time}",
    ],
    places: &[
        "the flat on {street}",
        "car park near the station",
        "in his car",
    ],
    persons: &[
        "man, about 40, grey jacket",
        "young man, tall, beard",
        "older man, glasses, spoke English",
    ],
    vehicles: &[
        "dark blue van",
        "white Škoda, plate starts with {plate}",
        "black taxi",
    ],
    taken: &["{amount} EUR", "my phone", "{amount} EUR and my ID card"],
    follow_up: &["Called the drop-in centre", "Talk to the lawyer on {day}"],
    tags: &["client", "police", "money", "landlord", "safety", "health"],
};

const NL: Lang = Lang {
    code: "nl",
    titles: &[
        "Afspraak met een nieuwe klant",
        "Klant heeft niet alles betaald",
        "Politiecontrole in het appartement",
        "Voelde me vanavond niet veilig",
        "Aantekeningen voor de advocaat",
        "Verhuurder wil meer geld",
        "Probleem met een vaste klant",
    ],
    sentences: &[
        "Hij kwam om {time} en leek eerst rustig.",
        "We hadden {amount} euro voor een uur afgesproken, maar hij betaalde maar een deel.",
        "Hij wilde geen condoom gebruiken, dus ik heb de afspraak beëindigd.",
        "Ik heb {name} het adres en een foto van de auto gestuurd voordat ik naar binnen ging.",
        "Twee agenten stonden om {time} aan de deur en vroegen naar mijn identiteitsbewijs.",
        "Ze zeiden niet waarom ze kwamen en lieten geen kaartje achter.",
        "De verhuurder zegt dat de huur van de kamer volgende maand weer omhoog gaat.",
        "Hij bleef vragen naar mijn echte naam en waar ik woon.",
        "Nadat hij weg was heb ik de kamer gecontroleerd en de deur op slot gedaan.",
        "{name} van de steungroep zei dat ik {day} naar het inloopspreekuur kan komen.",
        "Ik heb zijn nummer opgeschreven voor het geval hij weer belt.",
        "Voortaan zie ik nieuwe klanten alleen 's middags.",
    ],
    common: "De afspraak was in Hotel {hotel}, kamer {room}.",
    selective: "Hij zei dat hij Kowalczyk heette.",
    days: &[
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ],
    when: &[
        "{day} rond {time}",
        "{day} laat op de avond",
        "{day} na {time}",
    ],
    places: &[
        "het appartement aan de {street}",
        "parkeerplaats bij het station",
        "in zijn auto",
    ],
    persons: &[
        "man, rond de 40, grijze jas",
        "jonge man, lang, baard",
        "oudere man, bril, sprak Engels",
    ],
    vehicles: &[
        "donkerblauwe bestelbus",
        "witte Škoda, kenteken begint met {plate}",
        "zwarte taxi",
    ],
    taken: &[
        "{amount} euro",
        "mijn telefoon",
        "{amount} euro en mijn ID-kaart",
    ],
    follow_up: &["Inloopspreekuur gebeld", "{day} met de advocaat praten"],
    tags: &[
        "klant",
        "politie",
        "geld",
        "verhuurder",
        "veiligheid",
        "gezondheid",
    ],
};

const PL: Lang = Lang {
    code: "pl",
    titles: &[
        "Spotkanie z nowym klientem",
        "Klient nie zapłacił całej kwoty",
        "Kontrola policji w mieszkaniu",
        "Dziś wieczorem nie czułam się bezpiecznie",
        "Notatki dla prawniczki",
        "Właściciel chce więcej pieniędzy",
        "Problem ze stałym klientem",
    ],
    sentences: &[
        "Przyszedł o {time} i na początku był spokojny.",
        "Umówiliśmy się na {amount} zł za godzinę, ale zapłacił tylko część.",
        "Nie chciał użyć prezerwatywy, więc zakończyłam spotkanie.",
        "Zanim weszłam, wysłałam adres i zdjęcie samochodu; {name} wie, gdzie jestem.",
        "Dwóch policjantów przyszło o {time} i chciało zobaczyć mój dowód.",
        "Nie powiedzieli, po co przyszli, i nie zostawili wizytówki.",
        "Właściciel mówi, że od przyszłego miesiąca czynsz za pokój znowu wzrośnie.",
        "Ciągle pytał o moje prawdziwe imię i gdzie mieszkam.",
        "Kiedy wyszedł, sprawdziłam pokój i zamknęłam drzwi na klucz.",
        "{name} z grupy wsparcia mówi, że {day} mogę przyjść na dyżur.",
        "Zapisałam jego numer na wypadek, gdyby znowu zadzwonił.",
        "Nowych klientów będę teraz przyjmować tylko po południu.",
    ],
    common: "Adres: Hotel {hotel}, pokój {room}.",
    selective: "Powiedział, że nazywa się Kowalczyk.",
    days: &[
        "w poniedziałek",
        "we wtorek",
        "w środę",
        "w czwartek",
        "w piątek",
        "w sobotę",
        "w niedzielę",
    ],
    when: &[
        "{day} około {time}",
        "{day} wieczorem",
        "{day} późno w nocy",
    ],
    places: &[
        "mieszkanie przy ulicy {street}",
        "parking przy dworcu",
        "w jego samochodzie",
    ],
    persons: &[
        "mężczyzna, około 40 lat, szara kurtka",
        "młody, wysoki, z brodą",
        "starszy, w okularach, mówił po angielsku",
    ],
    vehicles: &[
        "granatowy bus",
        "biała Škoda, rejestracja zaczyna się od {plate}",
        "czarna taksówka",
    ],
    taken: &["{amount} zł", "mój telefon", "{amount} zł i dowód osobisty"],
    follow_up: &[
        "Zadzwoniłam do punktu wsparcia",
        "Rozmowa z prawniczką {day}",
    ],
    tags: &[
        "klient",
        "policja",
        "pieniądze",
        "właściciel",
        "bezpieczeństwo",
        "zdrowie",
    ],
};

const SV: Lang = Lang {
    code: "sv",
    titles: &[
        "Bokning med en ny kund",
        "Kunden betalade inte hela summan",
        "Polisen kom till lägenheten",
        "Kände mig otrygg i kväll",
        "Anteckningar till advokaten",
        "Hyresvärden vill ha mer pengar",
        "Problem med en stamkund",
    ],
    sentences: &[
        "Han kom klockan {time} och verkade lugn i början.",
        "Vi kom överens om {amount} kronor för en timme, men han betalade bara en del.",
        "Han vägrade använda kondom, så jag avbröt mötet.",
        "Jag skickade adressen och ett foto på bilen till {name} innan jag gick in.",
        "Två poliser kom till dörren klockan {time} och ville se min legitimation.",
        "De sa inte varför de kom och lämnade inget kort.",
        "Hyresvärden säger att hyran för rummet höjs igen nästa månad.",
        "Han frågade hela tiden efter mitt riktiga namn och var jag bor.",
        "När han hade gått kontrollerade jag rummet och låste dörren.",
        "{name} från stödgruppen sa att jag kan komma på öppettiden på {day}.",
        "Jag skrev upp hans nummer ifall han ringer igen.",
        "Nästa gång träffar jag nya kunder bara på eftermiddagen.",
    ],
    common: "Mötet var på Hotel {hotel}, rum {room}.",
    selective: "Han sa att han hette Kowalczyk.",
    days: &[
        "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
    ],
    when: &["{day} runt {time}", "{day} kväll", "natten till {day}"],
    places: &[
        "lägenheten på {street}",
        "parkeringen vid stationen",
        "i hans bil",
    ],
    persons: &[
        "man, runt 40, grå jacka",
        "ung man, lång, skägg",
        "äldre man, glasögon, talade engelska",
    ],
    vehicles: &[
        "mörkblå skåpbil",
        "vit Škoda, registreringsnumret börjar med {plate}",
        "svart taxi",
    ],
    taken: &[
        "{amount} kronor",
        "min telefon",
        "{amount} kronor och mitt id-kort",
    ],
    follow_up: &["Ringde stödmottagningen", "Prata med advokaten på {day}"],
    tags: &["kund", "polis", "pengar", "hyresvärd", "säkerhet", "hälsa"],
};

const HR: Lang = Lang {
    code: "hr",
    titles: &[
        "Termin s novim klijentom",
        "Klijent nije platio cijeli iznos",
        "Policijska kontrola u stanu",
        "Večeras se nisam osjećala sigurno",
        "Bilješke za odvjetnicu",
        "Stanodavac traži više novca",
        "Problem sa stalnim klijentom",
    ],
    sentences: &[
        "Došao je u {time} i isprva je djelovao mirno.",
        "Dogovorili smo {amount} eura za sat, ali platio je samo dio.",
        "Odbio je koristiti kondom, pa sam prekinula termin.",
        "Prije nego što sam ušla, poslala sam adresu i fotografiju auta; {name} zna gdje sam.",
        "Dva policajca došla su na vrata u {time} i tražila moju osobnu iskaznicu.",
        "Nisu rekli zašto su došli i nisu ostavili posjetnicu.",
        "Stanodavac kaže da će najam sobe idući mjesec opet poskupjeti.",
        "Stalno je pitao za moje pravo ime i gdje živim.",
        "Kad je otišao, provjerila sam sobu i zaključala vrata.",
        "{name} iz grupe podrške kaže da mogu doći u savjetovalište {day}.",
        "Zapisala sam njegov broj za slučaj da opet nazove.",
        "Ubuduće ću nove klijente primati samo poslijepodne.",
    ],
    common: "Adresa: Hotel {hotel}, soba {room}.",
    selective: "Rekao je da se zove Kowalczyk.",
    days: &[
        "u ponedjeljak",
        "u utorak",
        "u srijedu",
        "u četvrtak",
        "u petak",
        "u subotu",
        "u nedjelju",
    ],
    when: &["{day} oko {time}", "{day} navečer", "{day} kasno noću"],
    places: &[
        "stan u ulici {street}",
        "parkiralište kod kolodvora",
        "u njegovom autu",
    ],
    persons: &[
        "muškarac, oko 40, siva jakna",
        "mlad, visok, s bradom",
        "stariji, s naočalama, govorio engleski",
    ],
    vehicles: &[
        "tamnoplavi kombi",
        "bijela Škoda, registracija počinje s {plate}",
        "crni taksi",
    ],
    taken: &[
        "{amount} eura",
        "moj mobitel",
        "{amount} eura i osobna iskaznica",
    ],
    follow_up: &["Nazvala sam savjetovalište", "Razgovor s odvjetnicom {day}"],
    tags: &[
        "klijent",
        "policija",
        "novac",
        "stanodavac",
        "sigurnost",
        "zdravlje",
    ],
};

const RO: Lang = Lang {
    code: "ro",
    titles: &[
        "Întâlnire cu un client nou",
        "Clientul nu a plătit toată suma",
        "Control al poliției în apartament",
        "În seara asta nu m-am simțit în siguranță",
        "Notițe pentru avocată",
        "Proprietarul cere mai mulți bani",
        "Problemă cu un client vechi",
    ],
    sentences: &[
        "A venit la {time} și la început părea calm.",
        "Ne-am înțeles la {amount} de euro pe oră, dar a plătit doar o parte.",
        "A refuzat să folosească prezervativ, așa că am oprit întâlnirea.",
        "Înainte să intru, am trimis adresa și o poză cu mașina; {name} știe unde sunt.",
        "Doi polițiști au venit la ușă la {time} și mi-au cerut buletinul.",
        "Nu au spus de ce au venit și nu au lăsat nicio carte de vizită.",
        "Proprietarul spune că chiria camerei crește iar luna viitoare.",
        "Tot întreba de numele meu adevărat și unde locuiesc.",
        "După ce a plecat, am verificat camera și am încuiat ușa.",
        "{name} de la grupul de sprijin zice că pot să vin la centru {day}.",
        "I-am notat numărul, în caz că sună din nou.",
        "De acum înainte mă întâlnesc cu clienți noi doar după-amiaza.",
    ],
    common: "Adresa: Hotel {hotel}, camera {room}.",
    selective: "A spus că îl cheamă Kowalczyk.",
    days: &[
        "luni",
        "marți",
        "miercuri",
        "joi",
        "vineri",
        "sâmbătă",
        "duminică",
    ],
    when: &["{day} pe la {time}", "{day} seara", "{day} noaptea târziu"],
    places: &[
        "apartamentul de pe {street}",
        "parcarea de lângă gară",
        "în mașina lui",
    ],
    persons: &[
        "bărbat, cam 40 de ani, geacă gri",
        "tânăr, înalt, cu barbă",
        "mai în vârstă, cu ochelari, vorbea engleză",
    ],
    vehicles: &[
        "dubă bleumarin",
        "Škoda albă, numărul începe cu {plate}",
        "taxi negru",
    ],
    taken: &[
        "{amount} de euro",
        "telefonul meu",
        "{amount} de euro și buletinul",
    ],
    follow_up: &["Am sunat la centrul de sprijin", "Vorbesc cu avocata {day}"],
    tags: &[
        "client",
        "poliție",
        "bani",
        "proprietar",
        "siguranță",
        "sănătate",
    ],
};

const ES: Lang = Lang {
    code: "es",
    titles: &[
        "Cita con un cliente nuevo",
        "El cliente no pagó todo",
        "Control policial en el piso",
        "Esta noche no me sentí segura",
        "Notas para la abogada",
        "El casero pide más dinero",
        "Problema con un cliente habitual",
    ],
    sentences: &[
        "Llegó a las {time} y al principio parecía tranquilo.",
        "Quedamos en {amount} euros por una hora, pero solo pagó una parte.",
        "Se negó a usar condón, así que terminé la cita.",
        "Antes de entrar le mandé a {name} la dirección y una foto del coche.",
        "Dos agentes llamaron a la puerta a las {time} y pidieron ver mi documentación.",
        "No dijeron por qué venían y no dejaron ninguna tarjeta.",
        "El casero dice que el alquiler de la habitación sube otra vez el mes que viene.",
        "No paraba de preguntar por mi nombre real y dónde vivo.",
        "Cuando se fue, revisé la habitación y cerré la puerta con llave.",
        "{name}, del grupo de apoyo, dice que puedo ir al centro el {day}.",
        "Apunté su número por si vuelve a llamar.",
        "A partir de ahora veré a clientes nuevos solo por la tarde.",
    ],
    common: "La cita fue en el Hotel {hotel}, habitación {room}.",
    selective: "Dijo que se llamaba Kowalczyk.",
    days: &[
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ],
    when: &[
        "el {day} sobre las {time}",
        "el {day} por la noche",
        "la noche del {day}",
    ],
    places: &[
        "el piso de la calle {street}",
        "el aparcamiento de la estación",
        "en su coche",
    ],
    persons: &[
        "hombre, unos 40, chaqueta gris",
        "joven, alto, con barba",
        "mayor, con gafas, hablaba inglés",
    ],
    vehicles: &[
        "furgoneta azul oscuro",
        "Škoda blanco, la matrícula empieza por {plate}",
        "taxi negro",
    ],
    taken: &[
        "{amount} euros",
        "mi móvil",
        "{amount} euros y mi pasaporte",
    ],
    follow_up: &["Llamé al centro de apoyo", "Hablar con la abogada el {day}"],
    tags: &[
        "cliente",
        "policía",
        "dinero",
        "casero",
        "seguridad",
        "salud",
    ],
};

const BG: Lang = Lang {
    code: "bg",
    titles: &[
        "Среща с нов клиент",
        "Клиентът не плати цялата сума",
        "Полицейска проверка в апартамента",
        "Тази вечер не се чувствах в безопасност",
        "Бележки за адвокатката",
        "Хазяинът иска още пари",
        "Проблем с постоянен клиент",
    ],
    sentences: &[
        "Дойде в {time} и в началото изглеждаше спокоен.",
        "Разбрахме се за {amount} евро на час, но плати само част.",
        "Отказа да използва презерватив и прекратих срещата.",
        "Преди да вляза, пратих адреса и снимка на колата; {name} знае къде съм.",
        "Двама полицаи дойдоха на вратата в {time} и поискаха личната ми карта.",
        "Не казаха защо са дошли и не оставиха визитка.",
        "Хазяинът казва, че наемът за стаята пак се вдига от следващия месец.",
        "Постоянно питаше за истинското ми име и къде живея.",
        "След като си тръгна, проверих стаята и заключих вратата.",
        "{name} от групата за подкрепа казва, че мога да отида в центъра {day}.",
        "Записах си номера му, в случай че пак се обади.",
        "Оттук нататък ще виждам нови клиенти само следобед.",
    ],
    common: "Адрес: Hotel {hotel}, стая {room}.",
    selective: "Каза, че се казва Kowalczyk.",
    days: &[
        "в понеделник",
        "във вторник",
        "в сряда",
        "в четвъртък",
        "в петък",
        "в събота",
        "в неделя",
    ],
    when: &[
        "{day} около {time}",
        "{day} вечерта",
        "{day} късно през нощта",
    ],
    places: &[
        "апартаментът на улица {street}",
        "паркингът до гарата",
        "в колата му",
    ],
    persons: &[
        "мъж, около 40, сиво яке",
        "млад, висок, с брада",
        "по-възрастен, с очила, говореше английски",
    ],
    vehicles: &[
        "тъмносин бус",
        "бяла Шкода, номерът започва с {plate}",
        "черно такси",
    ],
    taken: &[
        "{amount} евро",
        "телефонът ми",
        "{amount} евро и личната ми карта",
    ],
    follow_up: &[
        "Обадих се в центъра за подкрепа",
        "Разговор с адвокатката {day}",
    ],
    tags: &[
        "клиент",
        "полиция",
        "пари",
        "хазяин",
        "безопасност",
        "здраве",
    ],
};
