"""Demo content for Roundtable, and `load_demo()`, which writes it.

Three published consultations of a fictional regional network on migration:

- an OPEN one (opened 10 days ago, closes in 3 weeks) with four questions and
  a lively thread of about thirty comments in English, French and Spanish;
- a CLOSED one (its window is in the past) with a few questions and comments;
- an UPCOMING one (opens in two weeks) with questions and no comments yet.

Every comment has its citation reference (Q2-5 ...), numbered per question in
the order the comments were posted. A moderator's request for clarification
on question 2 of the open consultation is still open: the comment shows
"Clarification requested" and the moderation page lists it.

The demo stakeholder's reply on question 1 of the open consultation was
edited once: it says "edited", and the stakeholder, the moderators and the
secretariat can open its earlier version.

One field is left untranslated on purpose so the “shown in English” fallback
can be seen: the upcoming consultation's Spanish guiding points
(`guiding_points_es`). Open /es/ and that consultation to see the note.

Every person, organisation, figure and link here is invented, and every
account uses an example.org address and the shared password DEMO_PASSWORD.

`load_demo()` is idempotent: each object is found by a stable key (a slug, an
email address, a question number, or a comment key stored in the comment's
`thread_key`) and saved only when it differs from the content below. Dates are
computed from the start of the current day, so running it twice on the same
day changes nothing, and running it on a later day moves the windows along so
the open consultation stays open. Running it again also restores any demo
object someone edited by hand.
"""

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone, translation

from accounts.models import OrganisationType, User
from consultations.demo_translations import load_demo_translations
from consultations.models import (
    ClarificationRequest,
    Comment,
    CommentStatus,
    Consultation,
    ModerationMode,
    Question,
    Report,
    ReportStatus,
    Revision,
)
from consultations.sanitize import render_markdown
from documents.checks import check_upload
from documents.models import BackgroundDocument
from synthesis.demo import load_demo_codebook

DEMO_PASSWORD = "roundtable-demo"
# `make run` serves on $PORT (8000 unless told otherwise); say the address it uses.
SITE_URL = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/"
# Background documents' files (made for the demo, content invented like the rest).
DEMO_FILES = Path(__file__).resolve().parent / "demo_files"
REVISION_FIELDS = ("body_source", "body_html", "language", "written_at", "replaced_at")
# The group migration consultations/0002_roles_groups.py creates.
SECRETARIAT_GROUP = "Secretariat"


def _text(en: str, fr: str, es: str | None) -> dict[str, str | None]:
    """One piece of staff-written content in the three languages (None: not translated)."""
    return {"en": en, "fr": fr, "es": es}


# --- People -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    display_name: str
    organisation: str
    organisation_type: str
    country: str
    preferred_language: str
    is_staff: bool = False
    groups: tuple[str, ...] = ()


NETWORK_SECRETARIAT = "Regional Network on Migration, secretariat"

PEOPLE = [
    # The three demo logins.
    Person(
        "stakeholder",
        "stakeholder@example.org",
        "Sam Okoro",
        "Harbour Welcome Centre",
        OrganisationType.CIVIL_SOCIETY,
        "IE",
        "en",
    ),
    Person(
        "moderator",
        "moderator@example.org",
        "Lucía Fernández",
        NETWORK_SECRETARIAT,
        OrganisationType.INTERGOVERNMENTAL,
        "PA",
        "es",
    ),
    Person(
        "secretariat",
        "secretariat@example.org",
        "Ingrid Haugen",
        NETWORK_SECRETARIAT,
        OrganisationType.INTERGOVERNMENTAL,
        "CH",
        "en",
        is_staff=True,
        groups=(SECRETARIAT_GROUP,),
    ),
    # A second named moderator of the open consultation.
    Person(
        "comoderator",
        "jean-baptiste.kabore@example.org",
        "Jean-Baptiste Kaboré",
        NETWORK_SECRETARIAT,
        OrganisationType.INTERGOVERNMENTAL,
        "BF",
        "fr",
    ),
    # The commenters.
    Person(
        "state",
        "carolina.mendez@example.org",
        "Carolina Méndez",
        "Ministerio de Trabajo, Unidad de Política Migratoria",
        OrganisationType.MEMBER_STATE,
        "MX",
        "es",
    ),
    Person(
        "un",
        "priya.raman@example.org",
        "Priya Raman",
        "UN Country Team, working group on migration",
        OrganisationType.UN_ENTITY,
        "CO",
        "en",
    ),
    Person(
        "cso_fr",
        "fatou.ndiaye@example.org",
        "Fatou Ndiaye",
        "Réseau Migrations et Droits",
        OrganisationType.CIVIL_SOCIETY,
        "SN",
        "fr",
    ),
    Person(
        "cso_en",
        "grace.wanjiru@example.org",
        "Grace Wanjiru",
        "Migrant Rights Helpdesk",
        OrganisationType.CIVIL_SOCIETY,
        "KE",
        "en",
    ),
    Person(
        "union",
        "miguel.rojas@example.org",
        "Miguel Ángel Rojas",
        "Federación de Trabajadores Agrícolas del Valle",
        OrganisationType.TRADE_UNION,
        "MX",
        "es",
    ),
    Person(
        "academic",
        "helene.marchetti@example.org",
        "Hélène Marchetti",
        "Laboratoire Mobilités et Territoires",
        OrganisationType.ACADEMIA,
        "FR",
        "fr",
    ),
    Person(
        "city_fr",
        "claire.tremblay@example.org",
        "Claire Tremblay",
        "Ville de Saint-Laurent-du-Fleuve, Bureau d'intégration des nouveaux arrivants",
        OrganisationType.LOCAL_GOVERNMENT,
        "CA",
        "fr",
    ),
    Person(
        "city_es",
        "ana.beltran@example.org",
        "Ana Beltrán",
        "Municipalidad de San Ramón, Oficina de Atención a Personas Migrantes",
        OrganisationType.LOCAL_GOVERNMENT,
        "CL",
        "es",
    ),
    Person(
        "migrant_es",
        "rosa.quispe@example.org",
        "Rosa Quispe",
        "Colectivo de Mujeres Migrantes Andinas",
        OrganisationType.MIGRANT_LED,
        "CL",
        "es",
    ),
    Person(
        "diaspora",
        "emmanuel.adeyemi@example.org",
        "Emmanuel Adeyemi",
        "Diaspora Youth Link",
        OrganisationType.MIGRANT_LED,
        "GB",
        "en",
    ),
    Person(
        "employer",
        "oliver.grant@example.org",
        "Oliver Grant",
        "Northfield Agrifoods",
        OrganisationType.PRIVATE_SECTOR,
        "CA",
        "en",
    ),
    # Posts an advertisement that two people report: the moderation queue
    # has something to show on a fresh demo.
    Person(
        "recruiter",
        "d.vance@example.org",
        "D. Vance",
        "FastTrack Overseas Placements",
        OrganisationType.PRIVATE_SECTOR,
        "CY",
        "en",
    ),
]

# The accounts the command prints, in this order.
LOGINS = ("stakeholder", "moderator", "secretariat")


# --- Consultations and questions -----------------------------------------------------


@dataclass(frozen=True)
class Window:
    """When a consultation opens and closes, in days from the start of today."""

    opens_in_days: int
    closes_in_days: int


@dataclass(frozen=True)
class DemoQuestion:
    number: int
    title: dict
    body: dict


@dataclass(frozen=True)
class DemoEarlierVersion:
    """An earlier text of a demo comment, replaced `replaced_after_minutes` after posting."""

    body: str
    language: str
    replaced_after_minutes: int


@dataclass(frozen=True)
class DemoComment:
    """One comment: `key` is stable across runs; `days_ago` and `time` say when it was posted."""

    key: str
    question: int
    parent: str | None
    author: str
    language: str
    days_ago: int
    time: str
    body: str
    # (reporter's key, ReportReason value, details): open reports on this comment.
    reports: tuple[tuple[str, str, str], ...] = ()
    # The texts this comment had before its author edited it, oldest first.
    earlier_versions: tuple[DemoEarlierVersion, ...] = ()


@dataclass(frozen=True)
class DemoDocument:
    """A background document: a file in demo_files/ (its name is its stable key) and its title."""

    file_name: str
    title: dict
    position: int = 0


@dataclass(frozen=True)
class DemoConsultation:
    slug: str
    window: Window
    moderators: tuple[str, ...]
    contact_email: str
    text: dict[str, dict]
    questions: list[DemoQuestion]
    comments: list[DemoComment] = field(default_factory=list)
    documents: list[DemoDocument] = field(default_factory=list)
    # (key of the comment asked about, key of the moderator's follow-up that asks):
    # requests for clarification the author has not answered yet.
    clarification_requests: tuple[tuple[str, str], ...] = ()


# Every consultation opens at 09:00 and closes at 17:00, local time.
OPENING_TIME = timedelta(hours=9)
CLOSING_TIME = timedelta(hours=17)


OPEN_CONSULTATION = DemoConsultation(
    slug="regional-review-forum-online-consultation",
    window=Window(opens_in_days=-10, closes_in_days=21),
    moderators=("moderator", "comoderator"),
    clarification_requests=(("q2-domestic", "q2-domestic-clarification"),),
    contact_email="consultation@example.org",
    text={
        "title": _text(
            "Towards the Regional Review Forum on Migration: online consultation",
            "Vers le Forum régional d'examen des migrations : consultation en ligne",
            "Hacia el Foro Regional de Examen sobre Migración: consulta en línea",
        ),
        "summary": _text(
            "Tell us how migration is governed where you live and work: what has improved, "
            "what has not, and what should change. Your contributions will shape the "
            "background paper for the regional review forum.",
            "Dites-nous comment les migrations sont gérées là où vous vivez et travaillez : "
            "ce qui s'est amélioré, ce qui bloque encore et ce qui devrait changer. Vos "
            "contributions nourriront le document de référence du forum régional d'examen.",
            "Cuéntenos cómo se gestiona la migración donde usted vive y trabaja: qué ha "
            "mejorado, qué sigue pendiente y qué debería cambiar. Sus aportes darán forma al "
            "documento de antecedentes del foro regional de examen.",
        ),
        "introduction": _text(
            "In the coming months, the governments of the region will meet at the **regional "
            "review forum** to take stock of their commitments to make migration safe, "
            "orderly and regular. Before they do, the network secretariat is opening this "
            "space so that everyone with a stake in migration can be heard: national and "
            "local governments, UN entities, civil society, trade unions, employers, "
            "researchers and, above all, migrants themselves.\n"
            "\n"
            "The consultation is open for a month. Answer one or more of the discussion "
            "questions below, in English, French or Spanish, and reply to other "
            "contributions: the most useful inputs are often the ones that build on each "
            "other.\n"
            "\n"
            "When the consultation closes, the secretariat will draw on every contribution "
            "to write a short background paper for the forum. The discussion will then "
            "stay online, read-only, as a public record.",
            "Dans quelques mois, les gouvernements de la région se réuniront lors du "
            "**forum régional d'examen** pour faire le point sur leurs engagements en "
            "faveur de migrations sûres, ordonnées et régulières. D'ici là, le secrétariat "
            "du réseau ouvre cet espace pour que toutes les parties concernées puissent se "
            "faire entendre : gouvernements nationaux et collectivités locales, entités des "
            "Nations Unies, société civile, syndicats, employeurs, chercheurs et, avant "
            "tout, les personnes migrantes elles-mêmes.\n"
            "\n"
            "La consultation est ouverte pendant un mois. Répondez à une ou "
            "plusieurs des questions ci-dessous, en français, en anglais ou en espagnol, et "
            "n'hésitez pas à réagir aux autres contributions : les apports les plus utiles "
            "sont souvent ceux qui se répondent.\n"
            "\n"
            "À la clôture de la consultation, le secrétariat s'appuiera sur l'ensemble des "
            "contributions pour rédiger un court document de référence destiné au forum. "
            "Les échanges resteront ensuite en ligne, en lecture seule, à titre d'archive "
            "publique.",
            "En los próximos meses, los gobiernos de la región se reunirán en el **foro "
            "regional de examen** para hacer balance de sus compromisos a favor de una "
            "migración segura, ordenada y regular. Antes de esa cita, la secretaría de la "
            "red abre este espacio para que puedan expresarse todos los actores "
            "interesados: gobiernos nacionales y locales, entidades de las Naciones Unidas, "
            "sociedad civil, sindicatos, empleadores, investigadores y, sobre todo, las "
            "propias personas migrantes.\n"
            "\n"
            "La consulta está abierta durante un mes. Responda a una o varias de "
            "las preguntas de debate, en español, francés o inglés, y no dude en comentar "
            "otras contribuciones: los aportes más útiles suelen ser los que dialogan entre "
            "sí.\n"
            "\n"
            "Al cierre de la consulta, la secretaría se basará en todas las contribuciones "
            "para redactar un breve documento de antecedentes para el foro. El debate "
            "seguirá en línea, en modo de solo lectura, como registro público.",
        ),
        "objectives": _text(
            "Safer and more flexible pathways for regular migration\n"
            "Fair recruitment and decent work for migrant workers\n"
            "Access to basic services for all migrants, whatever their status\n"
            "Inclusion of migrants and social cohesion in cities and communities\n"
            "Better, comparable data to guide migration policy",
            "Des voies de migration régulière plus sûres et plus souples\n"
            "Un recrutement équitable et un travail décent pour les travailleurs migrants\n"
            "L'accès de toutes les personnes migrantes aux services de base, quel que soit "
            "leur statut\n"
            "L'inclusion des personnes migrantes et la cohésion sociale dans les villes et "
            "les communautés\n"
            "Des données meilleures et comparables pour orienter les politiques migratoires",
            "Vías de migración regular más seguras y flexibles\n"
            "Contratación equitativa y trabajo decente para las personas trabajadoras "
            "migrantes\n"
            "Acceso a los servicios básicos para todas las personas migrantes, "
            "independientemente de su situación\n"
            "Inclusión de las personas migrantes y cohesión social en ciudades y "
            "comunidades\n"
            "Datos mejores y comparables para orientar las políticas migratorias",
        ),
        "guiding_points": _text(
            "As you write, please keep in mind:\n"
            "\n"
            "- **Be concrete.** An example from your country, city or organisation is worth "
            "more than a general statement. Name the programme, the law or the practice you "
            "have in mind.\n"
            "- **Say what has changed.** Where you can, describe the progress or the "
            "setbacks you have seen since the last review, and why they happened.\n"
            "- **Think about who is left out:** women, children, older people, people with "
            "disabilities and migrants in an irregular situation.\n"
            "- **Stay respectful.** Disagreement is welcome; personal attacks are not.\n"
            "\n"
            "Contributions are public and shown with your name and organisation.",
            "Quelques repères pour rédiger votre contribution :\n"
            "\n"
            "- **Soyez concret.** Un exemple tiré de votre pays, de votre ville ou de votre "
            "organisation vaut mieux qu'une déclaration générale. Citez le programme, la loi "
            "ou la pratique dont vous parlez.\n"
            "- **Dites ce qui a changé.** Dans la mesure du possible, décrivez les progrès "
            "ou les reculs constatés depuis le dernier examen, et leurs causes.\n"
            "- **Pensez à celles et ceux qui restent en marge :** les femmes, les enfants, "
            "les personnes âgées, les personnes handicapées et les personnes migrantes en "
            "situation irrégulière.\n"
            "- **Restez courtois.** Les désaccords sont bienvenus, les attaques personnelles "
            "ne le sont pas.\n"
            "\n"
            "Les contributions sont publiques et affichées avec votre nom et celui de votre "
            "organisation.",
            "Al redactar su aporte, le pedimos que tenga en cuenta lo siguiente:\n"
            "\n"
            "- **Sea concreto.** Un ejemplo de su país, su ciudad o su organización vale más "
            "que una declaración general. Mencione el programa, la ley o la práctica a la "
            "que se refiere.\n"
            "- **Cuéntenos qué ha cambiado.** En la medida de lo posible, describa los "
            "avances o retrocesos observados desde el último examen y a qué se deben.\n"
            "- **Piense en quienes se quedan atrás:** las mujeres, la niñez, las personas "
            "mayores, las personas con discapacidad y las personas migrantes en situación "
            "irregular.\n"
            "- **Mantenga el respeto.** Los desacuerdos son bienvenidos; los ataques "
            "personales, no.\n"
            "\n"
            "Las contribuciones son públicas y se muestran con su nombre y el de su "
            "organización.",
        ),
        "organisers": _text(
            "Moderated by Lucía Fernández and Jean-Baptiste Kaboré for the network secretariat",
            "Modération : Lucía Fernández et Jean-Baptiste Kaboré, au nom du secrétariat du réseau",
            "Moderación: Lucía Fernández y Jean-Baptiste Kaboré, en nombre de la secretaría de "
            "la red",
        ),
    },
    questions=[
        DemoQuestion(
            1,
            _text(
                "Which regular pathways have opened or closed since the last review?",
                "Quelles voies de migration régulière se sont ouvertes ou fermées depuis le "
                "dernier examen ?",
                "¿Qué vías de migración regular se han abierto o cerrado desde el último examen?",
            ),
            _text(
                "Which regular pathways (for work, study, family reunification or "
                "humanitarian reasons) have opened, widened or narrowed in your country since "
                "the last review? Who can use them in practice, and who cannot?",
                "Quelles voies de migration régulière (travail, études, regroupement familial "
                "ou raisons humanitaires) se sont ouvertes, élargies ou restreintes dans votre "
                "pays depuis le dernier examen ? Qui peut y accéder dans la pratique, et qui "
                "en reste exclu ?",
                "¿Qué vías de migración regular (por trabajo, estudios, reunificación familiar "
                "o razones humanitarias) se han abierto, ampliado o restringido en su país "
                "desde el último examen? ¿Quiénes pueden utilizarlas en la práctica y quiénes "
                "quedan fuera?",
            ),
        ),
        DemoQuestion(
            2,
            _text(
                "What protects migrant workers from abusive recruitment and exploitation?",
                "Qu'est-ce qui protège les travailleurs migrants du recrutement abusif et de "
                "l'exploitation ?",
                "¿Qué protege a las personas trabajadoras migrantes frente a la contratación "
                "abusiva y la explotación?",
            ),
            _text(
                "Which measures have done most to protect migrant workers from abusive "
                "recruitment, unpaid wages and unsafe working conditions? Please share "
                "examples involving employers, trade unions, recruiters or labour inspectors.",
                "Quelles mesures ont le plus contribué à protéger les travailleurs migrants "
                "contre les recrutements abusifs, les salaires impayés et les conditions de "
                "travail dangereuses ? Partagez des exemples impliquant des employeurs, des "
                "syndicats, des agences de recrutement ou l'inspection du travail.",
                "¿Qué medidas han contribuido más a proteger a las personas trabajadoras "
                "migrantes frente a la contratación abusiva, el impago de salarios y las "
                "condiciones de trabajo peligrosas? Comparta ejemplos en los que hayan "
                "intervenido empleadores, sindicatos, agencias de contratación o la inspección "
                "del trabajo.",
            ),
        ),
        DemoQuestion(
            3,
            _text(
                "How are cities and communities opening their services to migrants?",
                "Comment les villes et les communautés ouvrent-elles leurs services aux "
                "personnes migrantes ?",
                "¿Cómo abren las ciudades y las comunidades sus servicios a las personas "
                "migrantes?",
            ),
            _text(
                "Local governments and community groups are often the first to welcome "
                "newcomers. How do migrants in your area reach health care, education, "
                "housing and justice, whatever their status? What helps them become part of "
                "the community?",
                "Les collectivités locales et les associations de quartier sont souvent les "
                "premières à accueillir les nouveaux arrivants. Comment les personnes "
                "migrantes de votre territoire accèdent-elles aux soins, à l'éducation, au "
                "logement et à la justice, quel que soit leur statut ? Qu'est-ce qui les aide "
                "à trouver leur place dans la communauté ?",
                "Los gobiernos locales y las organizaciones comunitarias suelen ser los "
                "primeros en recibir a quienes llegan. ¿Cómo acceden las personas migrantes "
                "de su zona a la salud, la educación, la vivienda y la justicia, "
                "independientemente de su situación migratoria? ¿Qué les ayuda a integrarse "
                "en la comunidad?",
            ),
        ),
        DemoQuestion(
            4,
            _text(
                "Which one recommendation should the regional review forum make?",
                "Quelle recommandation le forum régional d'examen devrait-il formuler en "
                "priorité ?",
                "¿Qué recomendación debería formular en primer lugar el foro regional de examen?",
            ),
            _text(
                "If you could put one recommendation on the table at the forum, what would "
                "it be? Tell us also which data or partnerships would be needed to follow it "
                "up until the next review.",
                "Si vous pouviez soumettre une seule recommandation au forum, quelle "
                "serait-elle ? Dites-nous aussi de quelles données ou de quels partenariats il "
                "faudrait disposer pour en assurer le suivi jusqu'au prochain examen.",
                "Si pudiera presentar una sola recomendación en el foro, ¿cuál sería? "
                "Indíquenos también qué datos o alianzas harían falta para darle seguimiento "
                "hasta el próximo examen.",
            ),
        ),
    ],
    comments=[
        # Question 1: regular pathways.
        DemoComment(
            "q1-state",
            1,
            None,
            "state",
            "es",
            9,
            "10:20",
            "Desde el último examen regional, nuestro país ha dado tres pasos concretos para "
            "ampliar las vías regulares:\n"
            "\n"
            "1. **Un permiso de trabajo por temporadas**, negociado con dos países vecinos, "
            "que permite trabajar hasta nueve meses al año en la agricultura y el turismo y "
            "volver cada temporada sin empezar el trámite de cero.\n"
            "2. **Una solicitud única en línea**, que sustituyó a cuatro trámites "
            "presenciales. El plazo medio de respuesta bajó de cinco meses a siete semanas.\n"
            "3. **La regularización de personas que ya trabajaban en el país** con un "
            "contrato vigente o una oferta firme de empleo, sin obligarlas a salir del "
            "territorio para presentar la solicitud.\n"
            "\n"
            "Quedan retos importantes. Estas vías siguen pensadas sobre todo para quienes "
            "tienen un contrato formal, y las personas que trabajan en el hogar o en la "
            "economía informal casi nunca pueden acreditarlo. Tampoco hemos resuelto el "
            "reconocimiento de títulos: muchas enfermeras y técnicos terminan trabajando muy "
            "por debajo de su calificación.\n"
            "\n"
            "El informe de seguimiento del programa puede consultarse en el [portal del "
            "ministerio](https://example.org/permisos-por-temporada/informe). Agradeceremos "
            "los comentarios de las organizaciones que acompañan a las personas "
            "trabajadoras.",
        ),
        DemoComment(
            "q1-state-followup",
            1,
            "q1-state",
            "moderator",
            "es",
            9,
            "15:05",
            "Muchas gracias, Carolina, por un panorama tan completo. ¿Podría indicarnos "
            "cuántas personas han obtenido hasta ahora el permiso por temporadas y si los "
            "datos están desglosados por sexo y por sector? Nos sería muy útil para el "
            "documento de antecedentes.",
        ),
        DemoComment(
            "q1-state-figures",
            1,
            "q1-state-followup",
            "state",
            "es",
            8,
            "09:40",
            "Con gusto. En su primer año se concedieron unos 12 400 permisos, el 31 % de "
            "ellos a mujeres, sobre todo en el turismo y en el empaque de fruta. El desglose "
            "por sector y por país de origen se publicará en el próximo informe trimestral.",
        ),
        DemoComment(
            "q1-union",
            1,
            "q1-state-figures",
            "union",
            "es",
            7,
            "18:30",
            "Las cifras son alentadoras, pero desde el sindicato vemos un problema de fondo: "
            "el permiso queda atado a un solo empleador. Si el patrón no cumple el contrato, "
            "el trabajador tiene que elegir entre aguantar o perder su situación regular. "
            "Pedimos que se pueda cambiar de empleador sin perder el permiso.",
        ),
        DemoComment(
            "q1-state-reform",
            1,
            "q1-union",
            "state",
            "es",
            6,
            "11:10",
            "Tomamos nota, Miguel Ángel. La reforma que se está debatiendo permitiría cambiar "
            "de empleador dentro del mismo sector al cabo de seis meses, o de inmediato si la "
            "inspección del trabajo constata un incumplimiento grave. Los invitamos a la mesa "
            "técnica que se reunirá el mes próximo.",
        ),
        DemoComment(
            "q1-un",
            1,
            None,
            "un",
            "en",
            8,
            "14:00",
            "From the UN side, we would highlight pathways for people who move because of "
            "disasters and the slow effects of climate change. A few countries in the region "
            "now grant temporary humanitarian stay after sudden disasters, but the criteria "
            "differ from one country to the next and the permits rarely lead to a longer-term "
            "status. A shared regional approach would help governments and the people "
            "concerned alike.",
        ),
        DemoComment(
            "q1-academic",
            1,
            "q1-un",
            "academic",
            "fr",
            7,
            "10:45",
            "Je partage ce constat. Nos entretiens avec des familles déplacées après des "
            "inondations montrent que le titre de séjour humanitaire n'est souvent accordé "
            "que pour six mois, ce qui empêche les parents de signer un bail ou d'inscrire "
            "leurs enfants à l'école dans de bonnes conditions. Une durée minimale d'un an, "
            "renouvelable, changerait beaucoup de choses.",
        ),
        DemoComment(
            "q1-migrant",
            1,
            None,
            "migrant_es",
            "es",
            5,
            "20:15",
            "Para muchas compañeras de nuestro colectivo, el obstáculo no es la ley sino el "
            "costo. Entre tasas, legalizaciones, traducciones y viajes al consulado, "
            "regularizarse puede costar más de dos meses de sueldo. Y cada trámite exige un "
            "documento que depende de otro trámite. Las vías regulares existen en el papel, "
            "pero no están al alcance de todas.",
        ),
        DemoComment(
            "q1-stakeholder",
            1,
            "q1-migrant",
            "stakeholder",
            "en",
            4,
            "09:30",
            "We see exactly the same at our drop-in centre. Fee waivers for people on low "
            "incomes, and accepting scanned copies instead of originals, made a real "
            "difference when our local immigration office tried them last year.",
            earlier_versions=(
                DemoEarlierVersion(
                    "We see the same at our drop-in centre. Fee waivers made a real difference "
                    "when our local office tried them.",
                    "en",
                    replaced_after_minutes=25,
                ),
            ),
        ),
        # Question 2: decent work and fair recruitment.
        DemoComment(
            "q2-employer",
            2,
            None,
            "employer",
            "en",
            9,
            "12:30",
            "As an employer that recruits around 300 seasonal workers a year from three "
            "countries, we have learned the hard way that fair recruitment does not happen "
            "by itself. Three years ago we found out that some of our workers had paid "
            "recruiters the equivalent of four months' wages to get a job with us. They "
            "arrived in debt, and that debt made them afraid to raise any problem.\n"
            "\n"
            "Since then we have applied the **employer pays principle**: no worker pays a "
            "fee or a cost to be recruited by us. In practice this has meant:\n"
            "\n"
            "- mapping every intermediary in our recruitment chain, down to village level;\n"
            "- paying for visas, medical checks and travel directly, instead of reimbursing "
            "workers later;\n"
            "- paying back fees that workers had already paid, which cost more than we "
            "expected;\n"
            "- giving every worker a contract in a language they read, before they leave "
            "home.\n"
            "\n"
            "It has not been cheap, but fewer workers leave during the season and the "
            "quality of our harvest has improved. We have written up what we learned in "
            "[a short guide for other growers](https://example.org/fair-recruitment-guide) "
            "and would be glad to compare notes with other employers in the region.",
        ),
        DemoComment(
            "q2-union",
            2,
            "q2-employer",
            "union",
            "es",
            8,
            "17:50",
            "Valoramos que una empresa hable con esta franqueza. Pero hay que decirlo: los "
            "compromisos voluntarios de las empresas no sustituyen a la inspección del "
            "trabajo ni a la libertad sindical. ¿Sus trabajadores pueden afiliarse a un "
            "sindicato y negociar colectivamente sin miedo a que no los vuelvan a contratar la "
            "temporada siguiente?",
        ),
        DemoComment(
            "q2-employer-protocol",
            2,
            "q2-union",
            "employer",
            "en",
            7,
            "08:55",
            "That is a fair challenge. Last season we signed an access agreement with the "
            "agricultural workers' union at our main packing plant: union representatives "
            "can meet workers on site, and re-hiring decisions are reviewed jointly, so that "
            "nobody is left out for having raised a complaint. It is early days, and it only "
            "covers one of our sites so far.",
        ),
        DemoComment(
            "q2-followup",
            2,
            "q2-employer-protocol",
            "moderator",
            "en",
            6,
            "16:20",
            "Thank you both: this is exactly the kind of exchange the forum needs to hear. "
            "Oliver, does the agreement also cover workers hired through subcontractors or "
            "labour agencies? That is often where the worst abuses happen.",
        ),
        DemoComment(
            "q2-employer-agencies",
            2,
            "q2-followup",
            "employer",
            "en",
            5,
            "10:05",
            "Since this season, yes: our contracts with labour agencies now require them to "
            "accept the same agreement, and we stopped working with two agencies that "
            "refused. We still have no reliable way to check what happens further down the "
            "chain, which is why we would welcome a public register of licensed recruiters.",
        ),
        DemoComment(
            "q2-helpdesk",
            2,
            None,
            "cso_en",
            "en",
            7,
            "13:15",
            "The measure we would most like to see strengthened is access to justice after "
            "workers go home. Many of the wage claims we handle come from people who only "
            "realise they were underpaid once they are back in their country of origin, when "
            "the deadline to complain has passed or they cannot attend a hearing abroad.",
        ),
        DemoComment(
            "q2-helpdesk-followup",
            2,
            "q2-helpdesk",
            "comoderator",
            "en",
            6,
            "09:10",
            "Thank you, Grace. Could you share one concrete case of a worker who recovered "
            "unpaid wages after returning home? What made it possible?",
        ),
        DemoComment(
            "q2-helpdesk-case",
            2,
            "q2-helpdesk-followup",
            "cso_en",
            "en",
            4,
            "15:40",
            "One case from last year: eleven construction workers recovered most of their "
            "unpaid wages through a labour court in the country where they had worked. Two "
            "things made it possible: a lawyer from a partner union there agreed to represent "
            "them, and the court accepted their evidence by video link. Without either, the "
            "claim would have lapsed.",
        ),
        DemoComment(
            "q2-domestic",
            2,
            None,
            "cso_fr",
            "fr",
            3,
            "11:25",
            "Nous souhaitons attirer l'attention du forum sur les travailleuses domestiques. "
            "Elles sont souvent exclues du droit du travail, logées chez leur employeur et "
            "parfois privées de leur passeport. Plusieurs pays de la région ont ratifié la "
            "convention internationale sur le travail domestique, mais son application reste "
            "très inégale. Des contrôles à domicile, encadrés et respectueux de la vie privée, "
            "sont possibles : certains pays les pratiquent déjà.",
        ),
        # A request for clarification still waiting for its author (see CLARIFICATIONS).
        DemoComment(
            "q2-domestic-clarification",
            2,
            "q2-domestic",
            "comoderator",
            "fr",
            2,
            "16:40",
            "Merci d'avoir soulevé ce point. Pourriez-vous nous citer un ou deux pays de la "
            "région qui pratiquent déjà ces contrôles à domicile, et nous dire comment la vie "
            "privée des travailleuses y est protégée ? Ces exemples seraient précieux pour le "
            "document de synthèse.",
        ),
        # Question 3: services and inclusion.
        DemoComment(
            "q3-city-fr",
            3,
            None,
            "city_fr",
            "fr",
            9,
            "16:40",
            "Depuis deux ans, notre ville applique une politique d'« accès sans crainte » : "
            "les services municipaux ne demandent pas le statut migratoire lorsque ce n'est "
            "pas indispensable et ne transmettent aucune information aux autorités de "
            "l'immigration. Bibliothèques, centres sportifs, aide alimentaire et hébergement "
            "d'urgence sont ouverts à toutes et à tous.",
        ),
        DemoComment(
            "q3-city-fr-followup",
            3,
            "q3-city-fr",
            "comoderator",
            "fr",
            8,
            "10:30",
            "Merci, Claire, pour ce partage. Pourriez-vous nous donner un exemple concret de "
            "ce que cette politique change au quotidien dans votre ville ? Par exemple, "
            "comment prépare-t-on un agent d'accueil à recevoir une personne sans papiers ?",
        ),
        DemoComment(
            "q3-city-fr-example",
            3,
            "q3-city-fr-followup",
            "city_fr",
            "fr",
            7,
            "14:20",
            "Bien sûr. Prenons nos centres communautaires, qui sont souvent la première porte "
            "à laquelle frappent les familles.\n"
            "\n"
            "Avant cette politique, les agents demandaient une pièce d'identité « au cas "
            "où », et beaucoup de personnes repartaient sans oser demander quoi que ce soit. "
            "Aujourd'hui :\n"
            "\n"
            "- l'inscription aux activités ne demande qu'un nom et un moyen de contact ;\n"
            "- chaque agent d'accueil suit une formation d'une demi-journée, avec des mises "
            "en situation préparées par des associations de personnes migrantes ;\n"
            "- une fiche de deux pages, traduite en huit langues, explique ce que la ville "
            "demande, ce qu'elle ne demande pas et ce qu'elle fait des données recueillies ;\n"
            "- en cas de doute, l'agent appelle une ligne interne au lieu de refuser le "
            "service.\n"
            "\n"
            "Le résultat le plus parlant : en un an, le nombre d'enfants nouvellement arrivés "
            "inscrits à l'aide aux devoirs a presque doublé. Nous avons mis en ligne [le "
            "guide de formation des agents](https://example.org/acces-sans-crainte/guide) "
            "pour les villes qui souhaiteraient s'en inspirer.",
        ),
        DemoComment(
            "q3-academic",
            3,
            "q3-city-fr-example",
            "academic",
            "fr",
            6,
            "09:50",
            "Voilà un exemple très utile. Avez-vous prévu une évaluation indépendante ? Notre "
            "laboratoire travaille avec plusieurs villes sur des indicateurs simples (recours "
            "aux services, sentiment de sécurité, délais de prise en charge) et serait "
            "heureux d'échanger avec votre équipe.",
        ),
        DemoComment(
            "q3-city-es",
            3,
            None,
            "city_es",
            "es",
            8,
            "12:00",
            "En nuestra comuna, la población migrante se triplicó en cinco años. Para no "
            "dejar a nadie atrás, hace tres años abrimos una oficina municipal de atención a "
            "personas migrantes que funciona como ventanilla única. Allí ofrecemos:\n"
            "\n"
            "- orientación sobre trámites migratorios, en coordinación con la autoridad "
            "nacional;\n"
            "- inscripción en el centro de salud del barrio y en la escuela más cercana, "
            "aunque la familia todavía no tenga sus documentos en regla;\n"
            "- asesoría para encontrar vivienda y evitar arriendos abusivos;\n"
            "- cursos de español y de derechos laborales, en horario vespertino para quienes "
            "trabajan.\n"
            "\n"
            "La oficina atiende a unas 400 personas al mes con un equipo de seis personas, "
            "dos de ellas migrantes. La principal dificultad es el financiamiento: dependemos "
            "de proyectos de un año, y cada renovación pone en riesgo la continuidad del "
            "servicio.\n"
            "\n"
            "Encontrarán más detalles en nuestro [informe de gestión]"
            "(https://example.org/san-ramon/oficina-migrantes).",
        ),
        DemoComment(
            "q3-city-es-followup",
            3,
            "q3-city-es",
            "moderator",
            "es",
            7,
            "09:15",
            "Muchas gracias, Ana. ¿Podría contarnos un caso concreto de su comuna? Por "
            "ejemplo, cómo acompañó la oficina a una familia recién llegada durante sus "
            "primeras semanas.",
        ),
        DemoComment(
            "q3-city-es-case",
            3,
            "q3-city-es-followup",
            "city_es",
            "es",
            5,
            "13:35",
            "Claro. El mes pasado llegó una madre con dos hijos, sin contrato de arriendo ni "
            "documentos chilenos. En la primera visita la inscribimos en el centro de salud y "
            "conseguimos cupo para los niños en la escuela del barrio. La segunda semana la "
            "pusimos en contacto con una organización que ofrece alojamiento temporal, y hoy "
            "asiste a nuestro curso de derechos laborales mientras espera su permiso de "
            "residencia.",
        ),
        DemoComment(
            "q3-migrant",
            3,
            "q3-city-es",
            "migrant_es",
            "es",
            6,
            "19:00",
            "Desde el colectivo confirmamos que la oficina ha marcado una diferencia. Lo más "
            "valioso es que haya personas migrantes en el equipo: las familias llegan con más "
            "confianza cuando alguien les explica los trámites en su idioma y desde su propia "
            "experiencia.",
        ),
        DemoComment(
            "q3-stakeholder",
            3,
            None,
            "stakeholder",
            "en",
            4,
            "11:45",
            "At our centre, the gap we see most is mental health care. People can usually "
            "see a GP, but waiting lists for counselling run to months, and very few "
            "services offer interpreters. Peer support groups run by migrants themselves "
            "have filled part of the gap, on shoestring budgets.",
        ),
        DemoComment(
            "q3-diaspora",
            3,
            "q3-stakeholder",
            "diaspora",
            "en",
            3,
            "17:20",
            "Peer support works: we run two groups for young people who arrived on their own "
            "as teenagers. What we need from local authorities is not to take these groups "
            "over, but to fund them for several years at a time and to refer people to them.",
        ),
        # Question 4: recommendations to the forum.
        DemoComment(
            "q4-un",
            4,
            None,
            "un",
            "en",
            6,
            "15:00",
            "Our one recommendation: **make the region's migration data comparable, and make "
            "it public.** Today each country counts migrants differently, publishes at "
            "different times and rarely breaks figures down by sex, age or status. That "
            "makes it very hard to say whether any of the objectives under review is "
            "actually being met.\n"
            "\n"
            "Concretely, the forum could ask governments to:\n"
            "\n"
            "1. agree on a short list of common indicators, for example recruitment costs "
            "paid by workers, the time taken to issue a permit, and access to health care;\n"
            "2. publish them every year, broken down at least by sex and age;\n"
            "3. involve national statistics offices, not only migration authorities;\n"
            "4. let civil society and migrant-led organisations contribute their own data, "
            "with clear safeguards for personal information.\n"
            "\n"
            "UN entities in the region stand ready to support this work. A first overview of "
            "the data already available is on [our regional data page]"
            "(https://example.org/regional-migration-data).",
        ),
        DemoComment(
            "q4-un-followup",
            4,
            "q4-un",
            "moderator",
            "en",
            5,
            "09:00",
            "Thank you, Priya. If the forum could agree on only one of these four steps this "
            "time, which would you put first, and why?",
        ),
        DemoComment(
            "q4-un-priority",
            4,
            "q4-un-followup",
            "un",
            "en",
            4,
            "10:10",
            "The first one: a short list of common indicators. Everything else depends on "
            "it, and it costs little, since it is mostly a matter of agreeing on "
            "definitions. Once countries measure the same things, publication tends to "
            "follow.",
        ),
        DemoComment(
            "q4-diaspora",
            4,
            None,
            "diaspora",
            "en",
            3,
            "12:40",
            "We recommend that migrant-led and diaspora organisations get a real seat at the "
            "forum, not just a side event. Every review talks about migrants; far fewer give "
            "them the floor. Concretely: reserved speaking slots in each round table, and "
            "travel support for organisations that cannot pay their own way.",
        ),
        DemoComment(
            "q4-cso-fr",
            4,
            "q4-diaspora",
            "cso_fr",
            "fr",
            2,
            "10:30",
            "Entièrement d'accord. J'ajouterais que la participation ne doit pas s'arrêter au "
            "forum : les organisations de personnes migrantes devraient aussi être associées "
            "au suivi des recommandations, pays par pays, tout au long de la période "
            "d'examen.",
        ),
        DemoComment(
            "q4-union",
            4,
            None,
            "union",
            "es",
            1,
            "18:05",
            "Nuestra recomendación: que las cotizaciones a la seguridad social sean "
            "portables. Hoy, un trabajador que cotiza diez años en un país y regresa al suyo "
            "suele perderlo todo. Los convenios bilaterales y multilaterales que ya existen "
            "en la región demuestran que es posible; falta voluntad para aplicarlos y "
            "ampliarlos.",
        ),
        DemoComment(
            "q4-advert",
            4,
            None,
            "recruiter",
            "en",
            1,
            "19:40",
            "Need a work visa fast? **FastTrack Overseas Placements** guarantees a job offer "
            "abroad in 30 days, no questions asked. Pay the registration fee today and skip "
            "the queue: https://fasttrack-placements.example.com",
            reports=(
                ("cso_en", "spam", "An advertisement, and the promise is misleading."),
                (
                    "migrant_es",
                    "abusive",
                    "Cobrar por una oferta de empleo es justo lo que denunciamos en la pregunta 2.",
                ),
            ),
        ),
    ],
    documents=[
        DemoDocument(
            "background-paper-fair-recruitment.pdf",
            _text(
                "Background paper: fair recruitment, decent work and remittances",
                "Document de référence : recrutement équitable, travail décent et envois de fonds",
                "Documento de referencia: contratación equitativa, trabajo decente y remesas",
            ),
        ),
    ],
)


CLOSED_CONSULTATION = DemoConsultation(
    slug="return-and-reintegration-online-consultation",
    window=Window(opens_in_days=-120, closes_in_days=-92),
    moderators=("moderator",),
    contact_email="consultation@example.org",
    text={
        "title": _text(
            "Return and sustainable reintegration: online consultation",
            "Retour et réintégration durable : consultation en ligne",
            "Retorno y reintegración sostenible: consulta en línea",
        ),
        "summary": _text(
            "How can people who return to their country of origin rebuild their lives "
            "there? This consultation gathered views for the network's thematic report.",
            "Comment les personnes qui rentrent dans leur pays d'origine peuvent-elles y "
            "reconstruire leur vie ? Cette consultation a recueilli des avis pour le rapport "
            "thématique du réseau.",
            "¿Cómo pueden las personas que regresan a su país de origen rehacer allí su "
            "vida? Esta consulta recogió opiniones para el informe temático de la red.",
        ),
        "introduction": _text(
            "Return is not the end of a migration story. Whether people come back by "
            "choice or not, what happens in the months that follow decides whether they can "
            "stay and rebuild their lives.\n"
            "\n"
            "This consultation asked governments, UN entities, civil society and returnees "
            "themselves what makes reintegration last. It is now closed; the discussion "
            "stays online as a public record.",
            "Le retour n'est pas la fin d'un parcours migratoire. Que les personnes "
            "reviennent de leur plein gré ou non, ce qui se passe dans les mois qui suivent "
            "détermine si elles pourront rester et reconstruire leur vie.\n"
            "\n"
            "Cette consultation a demandé aux gouvernements, aux entités des Nations Unies, "
            "à la société civile et aux personnes de retour elles-mêmes ce qui permet une "
            "réintégration durable. Elle est désormais close ; les échanges restent en ligne "
            "à titre d'archive publique.",
            "El retorno no es el final de una historia migratoria. Ya sea voluntario o no, "
            "lo que ocurre en los meses siguientes determina si las personas podrán quedarse "
            "y rehacer su vida.\n"
            "\n"
            "Esta consulta preguntó a gobiernos, entidades de las Naciones Unidas, sociedad "
            "civil y a las propias personas retornadas qué hace que la reintegración sea "
            "duradera. Ya está cerrada; el debate sigue en línea como registro público.",
        ),
        "objectives": _text(
            "Safe and dignified return, with full respect for human rights\n"
            "Sustainable reintegration: economic, social and psychosocial\n"
            "Cooperation between countries of origin, transit and destination",
            "Un retour sûr et digne, dans le plein respect des droits humains\n"
            "Une réintégration durable : économique, sociale et psychosociale\n"
            "La coopération entre pays d'origine, de transit et de destination",
            "Un retorno seguro y digno, con pleno respeto de los derechos humanos\n"
            "Una reintegración sostenible: económica, social y psicosocial\n"
            "La cooperación entre países de origen, tránsito y destino",
        ),
        "guiding_points": _text(
            "- Share what you have seen work, and what has not.\n"
            "- Pay particular attention to children and to people returning after a long "
            "absence.",
            "- Partagez ce qui a fonctionné selon vous, et ce qui n'a pas fonctionné.\n"
            "- Accordez une attention particulière aux enfants et aux personnes qui "
            "reviennent après une longue absence.",
            "- Cuéntenos qué ha funcionado según su experiencia, y qué no.\n"
            "- Preste especial atención a la niñez y a las personas que regresan tras una "
            "larga ausencia.",
        ),
        "organisers": _text(
            "Moderated by Lucía Fernández for the network secretariat",
            "Modération : Lucía Fernández, au nom du secrétariat du réseau",
            "Moderación: Lucía Fernández, en nombre de la secretaría de la red",
        ),
    },
    questions=[
        DemoQuestion(
            1,
            _text(
                "What makes reintegration last?",
                "Qu'est-ce qui rend une réintégration durable ?",
                "¿Qué hace que la reintegración sea duradera?",
            ),
            _text(
                "Which kinds of support (economic, social, psychosocial) have helped "
                "returnees stay and rebuild their lives, rather than leave again?",
                "Quels types de soutien (économique, social, psychosocial) ont aidé les "
                "personnes de retour à rester et à reconstruire leur vie, plutôt qu'à "
                "repartir ?",
                "¿Qué tipos de apoyo (económico, social, psicosocial) han ayudado a las "
                "personas retornadas a quedarse y rehacer su vida, en lugar de volver a "
                "emigrar?",
            ),
        ),
        DemoQuestion(
            2,
            _text(
                "Dignity and safety in return",
                "Dignité et sécurité lors du retour",
                "Dignidad y seguridad en el retorno",
            ),
            _text(
                "Which safeguards make sure that returns respect people's rights and "
                "dignity, in particular for children?",
                "Quelles garanties permettent de s'assurer que les retours respectent les "
                "droits et la dignité des personnes, en particulier des enfants ?",
                "¿Qué salvaguardias garantizan que los retornos respeten los derechos y la "
                "dignidad de las personas, en particular de niñas y niños?",
            ),
        ),
        DemoQuestion(
            3,
            _text(
                "The role of receiving communities",
                "Le rôle des communautés d'accueil",
                "El papel de las comunidades de acogida",
            ),
            _text(
                "How can the communities that returnees go back to be involved, so that "
                "support for returnees does not breed resentment?",
                "Comment associer les communautés dans lesquelles les personnes reviennent, "
                "afin que le soutien qui leur est apporté ne suscite pas de ressentiment ?",
                "¿Cómo involucrar a las comunidades a las que regresan las personas, para que "
                "el apoyo que reciben no genere resentimiento?",
            ),
        ),
    ],
    comments=[
        DemoComment(
            "r1-cso-fr",
            1,
            None,
            "cso_fr",
            "fr",
            115,
            "10:00",
            "L'accompagnement psychosocial reste le parent pauvre des programmes de retour. "
            "On finance volontiers un petit commerce, mais une personne qui revient après "
            "un échec, parfois après la détention, a d'abord besoin d'être écoutée. Sans "
            "cela, l'aide économique est souvent perdue.",
        ),
        DemoComment(
            "r1-followup",
            1,
            "r1-cso-fr",
            "moderator",
            "fr",
            114,
            "16:30",
            "Merci, Fatou. Quel type d'accompagnement a le mieux fonctionné dans votre "
            "réseau : des consultations individuelles, des groupes de parole, autre chose ?",
        ),
        DemoComment(
            "r1-cso-fr-groups",
            1,
            "r1-followup",
            "cso_fr",
            "fr",
            112,
            "09:20",
            "Les groupes de parole animés par des personnes elles-mêmes revenues, avec un "
            "psychologue en appui. Les participants disent qu'ils s'y sentent compris sans "
            "avoir à se justifier, et plusieurs groupes ont donné naissance à des "
            "coopératives.",
        ),
        DemoComment(
            "r1-state",
            1,
            None,
            "state",
            "es",
            110,
            "12:15",
            "En nuestro programa de retorno, el apoyo que mejor ha funcionado es el "
            "reconocimiento de las competencias adquiridas en el extranjero. Certificar lo "
            "que una persona aprendió trabajando fuera le abre puertas que un pequeño "
            "subsidio no abre.",
        ),
        DemoComment(
            "r2-helpdesk",
            2,
            None,
            "cso_en",
            "en",
            104,
            "14:45",
            "No child should be returned without an individual assessment of their best "
            "interests, carried out by child protection services rather than by migration "
            "officials. Families should also know before they travel which school their "
            "children will attend.",
        ),
        DemoComment(
            "r3-diaspora",
            3,
            None,
            "diaspora",
            "en",
            100,
            "11:00",
            "Support works best when it also benefits the neighbours: a well that the whole "
            "village uses, or training open to young people who never left. Otherwise "
            "returnees are seen as people rewarded for leaving.",
        ),
        DemoComment(
            "r3-city-es",
            3,
            "r3-diaspora",
            "city_es",
            "es",
            97,
            "18:40",
            "Coincido. En nuestra comuna, los proyectos comunitarios que incluyen a vecinos y "
            "retornados por igual han reducido mucho las tensiones.",
        ),
    ],
)


UPCOMING_CONSULTATION = DemoConsultation(
    slug="climate-disasters-human-mobility-online-consultation",
    window=Window(opens_in_days=14, closes_in_days=42),
    moderators=(),
    contact_email="consultation@example.org",
    text={
        "title": _text(
            "Climate change, disasters and human mobility: online consultation",
            "Changements climatiques, catastrophes et mobilité humaine : consultation en ligne",
            "Cambio climático, desastres y movilidad humana: consulta en línea",
        ),
        "summary": _text(
            "Floods, droughts and storms are already forcing people to move. This "
            "consultation will ask how the region can help people stay safely where they "
            "are, and move with dignity when they must.",
            "Inondations, sécheresses et tempêtes poussent déjà des personnes à partir. "
            "Cette consultation portera sur les moyens d'aider chacun à rester en sécurité "
            "chez soi, et à partir dans la dignité lorsqu'il le faut.",
            "Las inundaciones, las sequías y las tormentas ya obligan a muchas personas a "
            "desplazarse. Esta consulta abordará cómo ayudar a la población a quedarse en "
            "condiciones seguras y a desplazarse con dignidad cuando no haya otra opción.",
        ),
        "introduction": _text(
            "Disasters and the slow effects of climate change are reshaping where people "
            "can live and work. Some move within their own country; others cross borders, "
            "often without a legal pathway that fits their situation.\n"
            "\n"
            "This consultation will open in two weeks. The questions are published now so "
            "that you can prepare your contribution.",
            "Les catastrophes et les effets lents des changements climatiques redessinent "
            "les lieux où l'on peut vivre et travailler. Certaines personnes se déplacent à "
            "l'intérieur de leur pays ; d'autres franchissent des frontières, souvent sans "
            "voie légale adaptée à leur situation.\n"
            "\n"
            "Cette consultation ouvrira dans deux semaines. Les questions sont publiées dès "
            "maintenant pour vous permettre de préparer votre contribution.",
            "Los desastres y los efectos lentos del cambio climático están modificando los "
            "lugares donde se puede vivir y trabajar. Algunas personas se desplazan dentro "
            "de su propio país; otras cruzan fronteras, a menudo sin una vía legal adecuada "
            "a su situación.\n"
            "\n"
            "Esta consulta se abrirá dentro de dos semanas. Publicamos ya las preguntas para "
            "que pueda preparar su contribución.",
        ),
        "objectives": _text(
            "Reducing the pressure to leave through adaptation and disaster risk reduction\n"
            "Regular pathways and protection for people displaced across borders\n"
            "Planned relocation that respects the rights of the communities concerned",
            "Réduire les départs contraints grâce à l'adaptation et à la réduction des "
            "risques de catastrophe\n"
            "Des voies régulières et une protection pour les personnes déplacées au-delà "
            "des frontières\n"
            "Des relocalisations planifiées respectueuses des droits des communautés "
            "concernées",
            "Reducir los desplazamientos forzosos mediante la adaptación y la reducción del "
            "riesgo de desastres\n"
            "Vías regulares y protección para las personas desplazadas a través de las "
            "fronteras\n"
            "Reubicaciones planificadas que respeten los derechos de las comunidades "
            "afectadas",
        ),
        # Spanish left untranslated on purpose: the page shows the English text and says so.
        "guiding_points": _text(
            "- Draw on what you have seen in your own community or country.\n"
            "- Where people have already moved, tell us what helped them and what did not.\n"
            "- Think beyond emergencies: slow changes such as drought and rising seas "
            "matter too.",
            "- Appuyez-vous sur ce que vous avez observé dans votre communauté ou votre "
            "pays.\n"
            "- Lorsque des personnes se sont déjà déplacées, dites-nous ce qui les a aidées "
            "et ce qui leur a manqué.\n"
            "- Pensez au-delà des situations d'urgence : les changements lents, comme la "
            "sécheresse ou la montée des eaux, comptent aussi.",
            None,
        ),
        "organisers": _text(
            "Moderated by the network secretariat",
            "Modération : secrétariat du réseau",
            "Moderación: secretaría de la red",
        ),
    },
    questions=[
        DemoQuestion(
            1,
            _text(
                "What helps people adapt and stay safely where they live?",
                "Qu'est-ce qui aide les populations à s'adapter et à rester en sécurité là où "
                "elles vivent ?",
                "¿Qué ayuda a la población a adaptarse y a permanecer segura donde vive?",
            ),
            _text(
                "Which adaptation or disaster preparedness measures have made it possible "
                "for people to stay in their homes and keep their livelihoods?",
                "Quelles mesures d'adaptation ou de préparation aux catastrophes ont permis "
                "aux habitants de rester chez eux et de conserver leurs moyens de "
                "subsistance ?",
                "¿Qué medidas de adaptación o de preparación ante desastres han permitido "
                "que las personas permanezcan en sus hogares y conserven sus medios de vida?",
            ),
        ),
        DemoQuestion(
            2,
            _text(
                "Pathways and protection for people displaced across borders",
                "Voies d'accès et protection pour les personnes déplacées au-delà des frontières",
                "Vías de acceso y protección para las personas desplazadas a través de las "
                "fronteras",
            ),
            _text(
                "When people have to cross a border after a disaster, which permits, visas "
                "or other arrangements are available to them, and how well do they work?",
                "Lorsque des personnes doivent franchir une frontière après une catastrophe, "
                "de quels titres de séjour, visas ou autres dispositifs peuvent-elles "
                "bénéficier, et avec quelle efficacité ?",
                "Cuando las personas tienen que cruzar una frontera tras un desastre, ¿qué "
                "permisos, visados u otros mecanismos tienen a su alcance, y qué tan bien "
                "funcionan?",
            ),
        ),
        DemoQuestion(
            3,
            _text(
                "What have planned relocations taught us so far?",
                "Quels enseignements tirer des relocalisations planifiées ?",
                "¿Qué enseñanzas dejan hasta ahora las reubicaciones planificadas?",
            ),
            _text(
                "Where whole communities have been moved, what did they say about how the "
                "decision was taken and how the move was carried out?",
                "Lorsque des communautés entières ont été déplacées, qu'ont-elles dit de la "
                "manière dont la décision a été prise et dont le déplacement s'est déroulé ?",
                "Cuando se ha reubicado a comunidades enteras, ¿qué han dicho sobre cómo se "
                "tomó la decisión y cómo se llevó a cabo el traslado?",
            ),
        ),
    ],
)

CONSULTATIONS = [OPEN_CONSULTATION, CLOSED_CONSULTATION, UPCOMING_CONSULTATION]


# --- Writing it ---------------------------------------------------------------------


@dataclass
class DemoResult:
    """What `load_demo()` found or wrote."""

    consultations: dict[str, Consultation] = field(default_factory=dict)
    accounts: dict[str, User] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def open_consultation(self) -> Consultation:
        return self.consultations[OPEN_CONSULTATION.slug]

    @property
    def closed_consultation(self) -> Consultation:
        return self.consultations[CLOSED_CONSULTATION.slug]

    @property
    def upcoming_consultation(self) -> Consultation:
        return self.consultations[UPCOMING_CONSULTATION.slug]

    @property
    def logins(self) -> list[tuple[str, str]]:
        """(role, email) of the accounts to try the site with."""
        return [(key, self.accounts[key].email) for key in LOGINS]


class _Loader:
    def __init__(self, now: datetime):
        local_now = timezone.localtime(now)
        # The start of today: reruns on the same day compute the same dates.
        self.today = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        self.result = DemoResult()
        self._password_hash: str | None = None
        self._password_checks: dict[str, bool] = {}

    def load(self) -> DemoResult:
        for person in PEOPLE:
            self.result.accounts[person.key] = self._account(person)
        for demo in CONSULTATIONS:
            consultation = self._consultation(demo)
            self.result.consultations[demo.slug] = consultation
            questions = {
                question.number: self._question(consultation, question)
                for question in demo.questions
            }
            # In the order they were posted, so references number them in that order.
            for comment in sorted(demo.comments, key=self._posted_at):
                self.result.comments[comment.key] = self._comment(questions, comment)
                self._reports(self.result.comments[comment.key], comment)
                self._earlier_versions(self.result.comments[comment.key], comment)
            for comment_key, follow_up_key in demo.clarification_requests:
                self._clarification_request(comment_key, follow_up_key)
            for document in demo.documents:
                self._background_document(consultation, document)
        return self.result

    # Each object is saved only when it differs from the demo content, so a
    # second run writes nothing.
    def _write(self, model: type[models.Model], lookup: dict, values: dict):
        """(instance, created): find by `lookup`, create or update with `values` if needed."""
        try:
            instance = model.objects.get(**lookup)
        except model.DoesNotExist:
            instance = model(**lookup, **values)
            instance.save()
            self.result.created += 1
            return instance, True
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save()
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        return instance, False

    def _add_missing(self, manager, wanted: list, *, owner_created: bool) -> None:
        """Add `wanted` to a many-to-many relation, leaving its other members alone."""
        present = set(manager.values_list("pk", flat=True))
        missing = [member for member in wanted if member.pk not in present]
        if missing:
            manager.add(*missing)
            if not owner_created:
                self.result.updated += 1

    def _demo_password_hash(self, current_hash: str) -> str | None:
        """A new hash of the demo password, or None when `current_hash` already matches it."""
        if current_hash not in self._password_checks:
            self._password_checks[current_hash] = bool(current_hash) and check_password(
                DEMO_PASSWORD, current_hash
            )
        if self._password_checks[current_hash]:
            return None
        # One hash for every demo account: the password is public anyway, and
        # hashing once keeps the command quick.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
            self._password_checks[self._password_hash] = True
        return self._password_hash

    def _account(self, person: Person) -> User:
        existing = User.objects.filter(email__iexact=person.email).first()
        values = {
            "display_name": person.display_name,
            "organisation": person.organisation,
            "organisation_type": person.organisation_type,
            "country": person.country,
            "preferred_language": person.preferred_language,
            "is_active": True,
            "is_staff": person.is_staff,
        }
        new_hash = self._demo_password_hash(existing.password if existing else "")
        if new_hash:
            values["password"] = new_hash
        email = existing.email if existing else person.email
        user, created = self._write(User, {"email": email}, values)
        self._write(
            EmailAddress,
            {"user": user, "email": user.email},
            {"verified": True, "primary": True},
        )
        if person.groups:
            groups = list(Group.objects.filter(name__in=person.groups))
            self._add_missing(user.groups, groups, owner_created=created)
        return user

    def _consultation(self, demo: DemoConsultation) -> Consultation:
        values = {
            f"{name}_{language}": value
            for name, translations in demo.text.items()
            for language, value in translations.items()
        }
        values.update(
            contact_email=demo.contact_email,
            is_published=True,
            moderation_mode=ModerationMode.POST,
            opens_at=self.today + timedelta(days=demo.window.opens_in_days) + OPENING_TIME,
            closes_at=self.today + timedelta(days=demo.window.closes_in_days) + CLOSING_TIME,
        )
        consultation, created = self._write(Consultation, {"slug": demo.slug}, values)
        self._add_missing(
            consultation.moderators,
            [self.result.accounts[key] for key in demo.moderators],
            owner_created=created,
        )
        return consultation

    def _question(self, consultation: Consultation, demo: DemoQuestion) -> Question:
        values = {f"title_{language}": value for language, value in demo.title.items()}
        values.update({f"body_{language}": value for language, value in demo.body.items()})
        question, _created = self._write(
            Question, {"consultation": consultation, "number": demo.number}, values
        )
        return question

    def _comment(self, questions: dict[int, Question], demo: DemoComment) -> Comment:
        question = questions[demo.question]
        parent = self.result.comments[demo.parent] if demo.parent else None
        body = demo.body.strip()
        edited_at = (
            self._posted_at(demo)
            + timedelta(minutes=demo.earlier_versions[-1].replaced_after_minutes)
            if demo.earlier_versions
            else None
        )
        comment, _created = self._write(
            Comment,
            # The demo key, stored as the comment's thread key, finds it again on
            # the next run; the thread key must start with the question id.
            {"thread_key": f"{question.pk}:demo-{demo.key}"},
            {
                "question_id": question.pk,
                "parent_id": parent.thread_key if parent else None,
                "author_id": self.result.accounts[demo.author].pk,
                "body_source": body,
                "body_html": render_markdown(body),
                "language": demo.language,
                "status": CommentStatus.PUBLISHED,
                "moderation_reason": "",
                "created_at": self._posted_at(demo),
                "edited_at": edited_at,
            },
        )
        return comment

    def _background_document(self, consultation: Consultation, demo: DemoDocument) -> None:
        values = {f"title_{language}": value for language, value in demo.title.items()}
        values["position"] = demo.position
        document = BackgroundDocument.objects.filter(
            consultation=consultation, original_name=demo.file_name
        ).first()
        created = document is None
        if created:
            document = BackgroundDocument(consultation=consultation)
        changed = [name for name, value in values.items() if getattr(document, name) != value]
        for name in changed:
            setattr(document, name, values[name])
        # A stored file someone removed (a cleaned media folder) is stored again.
        file_missing = created or not document.file.storage.exists(document.file.name)
        if file_missing:
            path = DEMO_FILES / demo.file_name
            with path.open("rb") as content:
                upload = File(content, name=demo.file_name)
                # The same check as any upload: the demo file must be what its name says.
                document.take_checked(check_upload(upload, max_bytes=path.stat().st_size))
                document.file.save(demo.file_name, upload, save=True)
        elif changed:
            document.save()
        if created:
            self.result.created += 1
        elif changed or file_missing:
            self.result.updated += 1
        else:
            self.result.unchanged += 1

    def _posted_at(self, demo: DemoComment) -> datetime:
        hours, minutes = (int(part) for part in demo.time.split(":"))
        return self.today - timedelta(days=demo.days_ago) + timedelta(hours=hours, minutes=minutes)

    def _earlier_versions(self, comment: Comment, demo: DemoComment) -> None:
        """Write the demo's earlier versions of `comment`, unless they are there already.

        Earlier versions cannot be changed, and their times move with the demo's
        dates, so versions that differ (another day, or an edit made by hand on
        the site) are replaced as a whole: this is demo content, not a record.
        """
        posted_at = self._posted_at(demo)
        wanted, written_at = [], posted_at
        for version in demo.earlier_versions:
            body = version.body.strip()
            replaced_at = posted_at + timedelta(minutes=version.replaced_after_minutes)
            wanted.append(
                {
                    "body_source": body,
                    "body_html": render_markdown(body),
                    "language": version.language,
                    "written_at": written_at,
                    "replaced_at": replaced_at,
                }
            )
            written_at = replaced_at
        present = list(comment.revisions.order_by("written_at", "pk").values(*REVISION_FIELDS))
        if present == wanted:
            if wanted:
                self.result.unchanged += 1
            return
        comment.revisions.all().delete()
        Revision.objects.bulk_create(Revision(comment=comment, **values) for values in wanted)
        if present:
            self.result.updated += 1
        else:
            self.result.created += 1

    def _clarification_request(self, comment_key: str, follow_up_key: str) -> None:
        """An open request for clarification, asked by the follow-up's author."""
        follow_up = self.result.comments[follow_up_key]
        self._write(
            ClarificationRequest,
            {"follow_up": follow_up},
            {
                "comment": self.result.comments[comment_key],
                "requested_by_id": follow_up.author_id,
                "opened_at": follow_up.created_at,
                "closed_at": None,
                "closed_how": "",
                "closed_by": None,
                "answer": None,
            },
        )

    def _reports(self, comment: Comment, demo: DemoComment) -> None:
        for reporter, reason, details in demo.reports:
            self._write(
                Report,
                {"comment": comment, "reporter": self.result.accounts[reporter]},
                {
                    "reason": reason,
                    "details": details,
                    "status": ReportStatus.OPEN,
                    "resolved_at": None,
                },
            )


def load_demo(*, now: datetime | None = None) -> DemoResult:
    """Create or bring up to date the demo consultations, questions, comments and accounts."""
    # English active, so modeltranslation keeps each untranslated base column in English.
    with transaction.atomic(), translation.override("en"):
        result = _Loader(now or timezone.now()).load()
        # The secretariat's reading of the open consultation: synthesis/demo_codebook.json.
        load_demo_codebook(result)
        # A Spanish and a French contribution translated: consultations/demo_translations.json.
        load_demo_translations(result)
        return result
