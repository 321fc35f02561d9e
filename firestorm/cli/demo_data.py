"""The demo's people and what they did, for `flask seed-demo`: volunteers, reviews, customers'
holds and special hours, written for this project. Its books are in demo_books.csv.

Each entry is a dict of mixed values, read by its keys in cli/demo.py."""

from typing import Any

Entries = list[dict[str, Any]]

VOLUNTEERS: Entries = [  # demo sign-ins; password is set by the seed command, not here
    {
        "email": "robin@example.org",
        "display_name": "Robin Alvarez",
        "role": "volunteer",
    },
    {
        "email": "jess@example.org",
        "display_name": "Jess Whitfield",
        "role": "volunteer",
    },
    {
        "email": "theo@example.org",
        "display_name": "Theo Nakamura",
        "role": "volunteer",
    },
    {
        "email": "sam@example.org",
        "display_name": "Sam Okafor",
        "role": "collective",
    },
    {
        "email": "mara@example.org",
        "display_name": "Mara Lindqvist",
        "role": "collective",
    },
]

REVIEWS: Entries = [
    {
        "isbn": "9781849350112",
        "reviewer": "robin@example.org",
        "days_ago": 30,
        "body": (
            "I picked this up expecting a history of the gas war in Bolivia and got "
            "something stranger and more useful: a book about *how* El Alto organized "
            "itself, block by block, without anyone in charge.\n\n"
            "Zibechi's argument is that the neighborhood councils and Aymara community "
            "customs didn't just feed a movement; they *were* the movement. Duties "
            "rotated. Delegates carried decisions instead of making them. When the "
            "state went looking for leaders to arrest or buy off, there wasn't much to "
            "grab.\n\n"
            "A few things that stuck with me:\n\n"
            "- *dispersing* power as a deliberate practice, not a failure to get "
            "organized\n"
            "- how much of the uprising ran on everyday routines like markets, water "
            "and shared chores\n"
            "- his suspicion of anyone, left or right, who wants to pour that energy "
            "back into a state\n\n"
            "It's not a quick read, and the theory chapters ask for patience. But if "
            "you've ever sat through a meeting wondering why we keep rebuilding little "
            "hierarchies, it's worth your time. Find me at the register and I'll tell "
            "you where to start."
        ),
    },
    {
        "isbn": "9780060512750",
        "reviewer": "sam@example.org",
        "days_ago": 60,
        "body": (
            "Every couple of years I reread *The Dispossessed* and find a different "
            "book.\n\n"
            "The first time, I read it as a utopia: Anarres, the moon with no owners "
            "and no government, seemed like a place I wanted to live. The second time "
            "I noticed the drought, the petty gatekeeping, and how a society without "
            "laws can still build walls out of habit and public opinion. This time I "
            "mostly paid attention to Shevek himself, a person trying to do honest "
            "work while both worlds want to claim it.\n\n"
            "What I love is that Le Guin never lets either side off easy. Urras is "
            "cruel and comfortable; Anarres is free and sometimes small-minded. The "
            "book asks you to hold both in your head at once.\n\n"
            "If you're in the Thursday reading group, we're starting it next month. "
            "Bring whatever edition you have. The page numbers won't match, and that's "
            "fine."
        ),
    },
    {
        "isbn": "9780446675505",
        "reviewer": "jess@example.org",
        "days_ago": 14,
        "body": (
            "I put off reading this for years because everyone told me it was *too "
            "real*. They were right, and I'm still glad I read it.\n\n"
            "Lauren's journal starts inside a walled neighborhood and ends on the "
            "road, and Butler never pretends the walk is anything but dangerous. What "
            "keeps it from being just a disaster novel is Earthseed, the verses Lauren "
            "writes about change as the one constant. You don't have to sign up for "
            "her religion to find it useful. Honestly, it's a decent summary of "
            "working a Saturday cafe shift.\n\n"
            "Read it if:\n\n"
            "1. you liked *Kindred* and want something bigger\n"
            "2. you need a story where community gets built by people who don't have "
            "much\n"
            "3. you can handle a lot of violence on the page\n\n"
            "Then read the sequel. We're happy to order it for you."
        ),
    },
    {
        "isbn": "9781571313560",
        "reviewer": "theo@example.org",
        "days_ago": 45,
        "body": (
            "I'm not a plant person. I kill basil. But this book made me slow down on "
            "my walk to the shop and actually look at what's growing in the cracks of "
            "the sidewalk.\n\n"
            "Kimmerer writes as a scientist and as a Potawatomi woman, and she doesn't "
            "treat those as opposites. The chapter on the *Three Sisters* (corn, beans "
            "and squash planted together) is the one I keep describing to people at "
            "the counter: each plant does something different, and together they do "
            "better than any of them alone. It's hard not to read that as advice for a "
            "collective.\n\n"
            "It's a long book, and some essays land harder than others. I'd read one "
            "at a time, maybe with a coffee, rather than straight through. We're out "
            "of copies right now, but there's a waitlist at the register and more are "
            "on the way."
        ),
    },
    {
        "isbn": "9781849352604",
        "reviewer": "mara@example.org",
        "days_ago": 90,
        "body": (
            "Fair warning: this is the book I press into people's hands after their "
            "first rough consensus meeting.\n\n"
            "brown writes about organizing the way a gardener writes about soil. "
            "Instead of a ten-point plan you get principles and practices, and the "
            "idea that how we treat each other in small moments sets the pattern for "
            "everything larger. Some readers find the tone too soft. After years of "
            "burnout culture on the left, I found it a relief.\n\n"
            "What our collective actually took from it:\n\n"
            "- checking in about capacity *before* handing out tasks\n"
            "- treating conflict as information instead of betrayal\n"
            "- letting a project change shape instead of forcing it back into the "
            "first plan\n\n"
            "Not every exercise worked for us, and that's sort of the point: take what "
            "helps. If the shelf is empty, there's a copy in the staff lending pile."
        ),
    },
    {
        "isbn": "9780998904146",
        "reviewer": "robin@example.org",
        "days_ago": 10,
        "body": (
            "If you've moved here in the last few years (hi, welcome!), read this "
            "before you read anything else about Appalachia.\n\n"
            "Catte wrote it quickly, as an answer to the flood of *Trump Country* "
            "think pieces and to *Hillbilly Elegy*, and you can feel the heat. But she "
            "backs it up. In about 150 pages she covers the arrival of industry, the "
            "mine wars, the War on Poverty and its cameras, and the artists and "
            "organizers who have always been here talking back.\n\n"
            "What I appreciated most is that she refuses to give the region a single "
            "story, whether of despair or of noble poverty. Appalachia is Black, "
            "queer, immigrant and white, and full of people who stayed on purpose.\n\n"
            "Pair it with *Ramp Hollow* if you want the longer history; both just came "
            "in, and both are on our [Appalachia shelf](/shelves/appalachia), which keeps "
            "growing."
        ),
    },
    {
        "isbn": "9781569242643",
        "reviewer": "jess@example.org",
        "days_ago": 120,
        "body": (
            "Confession: the lentil soup you had at the cafe last week started life on "
            "a stained page of this book.\n\n"
            "*Veganomicon* is big and a little chaotic, which is why I love it. There "
            "are real technique sections for beans, grains and vegetables, then "
            "recipes that range from *very* simple to weekend projects. It leans on "
            "pantry staples rather than pricey specialty products, which matters when "
            "you're cooking on a tight budget.\n\n"
            "Tips from our kitchen:\n\n"
            "- double the garlic, always\n"
            "- the casseroles scale up well for potlucks and community dinners\n"
            "- there aren't many photos, so trust the instructions over your eyes\n\n"
            "It's the cookbook I'd give someone who just went vegan and is tired of "
            "rice and sad broccoli. Copies live on the cooking shelf, next to the "
            "zines."
        ),
    },
    {
        "isbn": "9780763690458",
        "reviewer": "theo@example.org",
        "days_ago": 5,
        "body": (
            "We read this at Saturday story time, and a four-year-old in the front row "
            "gasped out loud at the page where Julián transforms. That's the review, "
            "really.\n\n"
            "There are very few words. Jessica Love lets the paintings do the work: "
            "the subway car, the curtain turned into a tail, the fronds tucked into "
            "his hair. The moment everyone waits for is what his abuela does when she "
            "sees him. I won't spoil it, but it is *kind*, and it lands for the adults "
            "in the room as much as for the kids.\n\n"
            "Good for:\n\n"
            "- roughly ages three to seven\n"
            "- anyone who needs a picture of a grown-up loving a kid exactly as they "
            "are\n"
            "- reading aloud slowly, so little ones can spot the details\n\n"
            "You'll find it in the kids' corner, on the low shelf by the beanbags."
        ),
    },
    {
        "isbn": "9781839762123",
        "reviewer": "sam@example.org",
        "days_ago": 1,
        "body": (
            "This just landed on the new arrivals table, and I'd love for the whole "
            "stack to disappear fast.\n\n"
            "Spade's book is short and meant to be *used*. The first part explains why "
            "mutual aid is different from charity: it builds solidarity instead of "
            "gratitude, and it puts the people who need help in charge of deciding "
            "what help looks like. The rest is close to a manual for group life, "
            "covering meetings, decisions, conflict and how not to burn yourself out.\n"
            "\n"
            "Two parts I'd photocopy for any new group:\n\n"
            "1. the comparison between mutual aid and charity, which makes a great "
            "discussion starter\n"
            "2. the chapters on making decisions together and working through "
            "conflict\n\n"
            "A lot of us learned these lessons the hard way this past year. If you're "
            "starting something, come talk to us. We can host a meeting in the back "
            "room, and the first pot of coffee is on the house."
        ),
    },
]

# The collective's shelves, each with its books by title. A book can sit on several.
# Sent to the collective and not yet decided, so the demo's approval queue has work in it.
WAITING_REVIEWS: Entries = [
    {
        "isbn": "9780807083697",
        "reviewer": "theo@example.org",
        "days_ago": 2,
        "body": (
            "I put off *Kindred* for years because I knew it would hurt, and it does. "
            "Dana keeps being pulled back to a Maryland plantation, and Butler never lets "
            "her modern knowledge turn into a superpower: it mostly makes things worse.\n\n"
            "What stayed with me is how ordinary the cruelty becomes, for everyone, "
            "including Dana. Read it with a friend; you will want to talk afterwards."
        ),
    },
    {
        "isbn": "9781580911863",
        "reviewer": "jess@example.org",
        "days_ago": 1,
        "body": (
            "Every essay in *Sister Outsider* reads like it was written last week. "
            '"The Uses of Anger" is the one I keep pressing on people at the register.\n\n'
            "- short enough to read one essay over a coffee\n"
            "- sharp enough that you will not finish the coffee\n\n"
            'Start with "Poetry Is Not a Luxury" if you have never read Lorde.'
        ),
    },
]

# Customers' requests on the holds desk (names and addresses made up; example.org is reserved
# for examples). "ready" ones were put aside by the first collective member.
HOLDS: Entries = [
    {
        "isbn": "9780446675505",
        "kind": "hold",
        "quantity": 1,
        "name": "Dee Harper",
        "email": "dee@example.org",
        "phone": "",
        "note": "I'll come by after work on Thursday.",
        "hours_ago": 3,
        "ready": False,
    },
    {
        "isbn": "9781849352604",
        "kind": "hold",
        "quantity": 2,
        "name": "Lou Brennan",
        "email": "",
        "phone": "828-555-0147",
        "note": "One is a gift.",
        "hours_ago": 30,
        "ready": True,
    },
    {
        "isbn": "9780374157357",
        "kind": "order",
        "quantity": 1,
        "name": "Ray Castillo",
        "email": "ray@example.org",
        "phone": "",
        "note": "",
        "hours_ago": 50,
        "ready": False,
    },
]

# Dated exceptions to the week, counted from the day of seeding, so /hours and the banner show
# how a closure and changed hours read. Hours are (opens, closes) as "HH:MM", or None: closed.
SPECIAL_HOURS: Entries = [
    {"in_days": 4, "days": 1, "hours": ("08:00", "23:00"), "reason": "An evening reading"},
    {"in_days": 10, "days": 2, "hours": None, "reason": "The collective's retreat"},
]
