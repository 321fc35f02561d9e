"""Demo catalog for `flask seed-demo`: books, volunteers and reviews written for this project."""

from datetime import date

VOLUNTEERS = [  # demo sign-ins; password is set by the seed command, not here
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

# Books without an ISBN (zines, local chapbooks) have isbn None.
BOOKS = [
    {
        "title": "Dispersing Power",
        "subtitle": "Social Movements as Anti-State Forces",
        "authors": ["Raúl Zibechi"],
        "publisher": "AK Press",
        "release_date": date(2010, 7, 1),
        "isbn": "9781849350112",
        "stock": 2,
        "description": (
            "Zibechi spent time with the neighborhood councils of El Alto, Bolivia, "
            "and came back with a book about how Aymara communities carried the "
            "uprisings of the early 2000s without leaders, parties or a central "
            "command. A patient, close look at power that spreads out instead of "
            "piling up."
        ),
        "added_days_ago": 400,
    },
    {
        "title": "The Dispossessed",
        "subtitle": "",
        "authors": ["Ursula K. Le Guin"],
        "publisher": "Harper Perennial Modern Classics",
        "release_date": date(2003, 10, 21),
        "isbn": "9780060512750",
        "stock": 3,
        "description": (
            "Shevek, a physicist from an anarchist moon, travels to its wealthy, "
            "propertied sister planet and tries to carry his work home intact. Le Guin "
            "lets both worlds be complicated, which is exactly why people keep arguing "
            "about this book in our back room."
        ),
        "added_days_ago": 880,
    },
    {
        "title": "The Left Hand of Darkness",
        "subtitle": "",
        "authors": ["Ursula K. Le Guin"],
        "publisher": "Ace Books",
        "release_date": date(1987, 3, 15),
        "isbn": "9780441478125",
        "stock": 1,
        "description": (
            "An envoy arrives on the icy world of Gethen, where people have no fixed "
            "sex, and slowly learns how little he understood about himself. Part "
            "political intrigue, part long walk across a glacier, and one of the great "
            "friendships in science fiction."
        ),
        "added_days_ago": 845,
    },
    {
        "title": "Kindred",
        "subtitle": "",
        "authors": ["Octavia E. Butler"],
        "publisher": "Beacon Press",
        "release_date": date(2004, 2, 1),
        "isbn": "9780807083697",
        "stock": 4,
        "description": (
            "Dana, a Black writer in 1976 Los Angeles, is pulled again and again to a "
            "Maryland plantation before the Civil War. Butler makes history physical "
            "and impossible to keep at a distance."
        ),
        "added_days_ago": 760,
    },
    {
        "title": "Parable of the Sower",
        "subtitle": "",
        "authors": ["Octavia E. Butler"],
        "publisher": "Grand Central Publishing",
        "release_date": date(2000, 1, 15),
        "isbn": "9780446675505",
        "stock": 5,
        "description": (
            "In a collapsing California of the 2020s, teenager Lauren Olamina writes "
            "down the verses of a new belief system and walks north with whoever will "
            "come. Bleak and stubbornly hopeful at the same time."
        ),
        "added_days_ago": 700,
    },
    {
        "title": "Bloodchild and Other Stories",
        "subtitle": "",
        "authors": ["Octavia E. Butler"],
        "publisher": "Seven Stories Press",
        "release_date": date(2005, 9, 20),
        "isbn": "9781583226988",
        "stock": 1,
        "description": (
            "Butler's short fiction, including the title novella and 'Speech Sounds', "
            "with a note from the author after each piece. A good place to start if "
            "the novels feel like a big commitment."
        ),
        "added_days_ago": 455,
    },
    {
        "title": "Octavia's Brood",
        "subtitle": "Science Fiction Stories from Social Justice Movements",
        "authors": ["Walidah Imarisha", "adrienne maree brown"],
        "publisher": "AK Press",
        "release_date": date(2015, 3, 15),
        "isbn": "9781849352093",
        "stock": 3,
        "description": (
            "About twenty stories by organizers and activists who took Octavia "
            "Butler's challenge seriously: imagine the world you are fighting for. "
            "Uneven in the best way, like a good open mic night."
        ),
        "added_days_ago": 27,
    },
    {
        "title": "Emergent Strategy",
        "subtitle": "Shaping Change, Changing Worlds",
        "authors": ["adrienne maree brown"],
        "publisher": "AK Press",
        "release_date": date(2017, 3, 20),
        "isbn": "9781849352604",
        "stock": 6,
        "description": (
            "brown borrows lessons from mycelium, octopuses and Butler's novels to "
            "think about how small, adaptive groups make change. Half workbook, half "
            "meditation, and our most-lent staff copy."
        ),
        "added_days_ago": 520,
    },
    {
        "title": "Pleasure Activism",
        "subtitle": "The Politics of Feeling Good",
        "authors": ["adrienne maree brown"],
        "publisher": "AK Press",
        "release_date": date(2019, 3, 19),
        "isbn": "9781849353267",
        "stock": 0,
        "description": (
            "Essays, interviews and poems gathered around a simple claim: feeling good "
            "is not a distraction from justice work but part of it. Frank about sex, "
            "drugs and joy."
        ),
        "added_days_ago": 330,
    },
    {
        "title": "Caliban and the Witch",
        "subtitle": "Women, the Body and Primitive Accumulation",
        "authors": ["Silvia Federici"],
        "publisher": "Autonomedia",
        "release_date": date(2004, 1, 10),
        "isbn": "9781570270598",
        "stock": 1,
        "description": (
            "Federici reads the European witch hunts as part of the birth of "
            "capitalism, tied to enclosure and to new controls on women's bodies and "
            "labor. Dense, furious and hugely influential."
        ),
        "added_days_ago": 690,
    },
    {
        "title": "Women, Race & Class",
        "subtitle": "",
        "authors": ["Angela Y. Davis"],
        "publisher": "Vintage Books",
        "release_date": date(1983, 2, 12),
        "isbn": "9780394713519",
        "stock": 2,
        "description": (
            "Davis traces how slavery, the suffrage movement and the labor movement "
            "shaped one another, and where white feminism kept failing Black and "
            "working-class women. Still sharp four decades on."
        ),
        "added_days_ago": 610,
    },
    {
        "title": "Are Prisons Obsolete?",
        "subtitle": "",
        "authors": ["Angela Y. Davis"],
        "publisher": "Seven Stories Press",
        "release_date": date(2003, 4, 15),
        "isbn": "9781583225813",
        "stock": 4,
        "description": (
            "A short, clear case for prison abolition that starts from how recently "
            "the modern prison was invented. Good for reading groups; most people "
            "finish it in an afternoon."
        ),
        "added_days_ago": 575,
    },
    {
        "title": "Freedom Is a Constant Struggle",
        "subtitle": "Ferguson, Palestine, and the Foundations of a Movement",
        "authors": ["Angela Y. Davis"],
        "publisher": "Haymarket Books",
        "release_date": date(2016, 2, 1),
        "isbn": "9781608465644",
        "stock": 3,
        "description": (
            "Interviews and speeches connecting Ferguson, Palestine and the global "
            "prison industry. A quick read that keeps opening doors."
        ),
        "added_days_ago": 300,
    },
    {
        "title": "Sister Outsider",
        "subtitle": "Essays and Speeches",
        "authors": ["Audre Lorde"],
        "publisher": "Crossing Press",
        "release_date": date(2007, 8, 1),
        "isbn": "9781580911863",
        "stock": 1,
        "description": (
            "Lorde's essays and speeches on anger, poetry, difference and the erotic, "
            "including 'The Master's Tools Will Never Dismantle the Master's House'. "
            "Rereading it is never wasted time."
        ),
        "added_days_ago": 540,
    },
    {
        "title": "Feminism Is for Everybody",
        "subtitle": "Passionate Politics",
        "authors": ["bell hooks"],
        "publisher": "South End Press",
        "release_date": date(2000, 1, 20),
        "isbn": "9780896086289",
        "stock": 2,
        "description": (
            "hooks wrote this short book for people who had mostly heard about "
            "feminism from its critics. Plain language, big ideas, and a good gift for "
            "a curious teenager."
        ),
        "added_days_ago": 495,
    },
    {
        "title": "Pedagogy of the Oppressed",
        "subtitle": "",
        "authors": ["Paulo Freire"],
        "publisher": "Continuum",
        "release_date": date(2000, 9, 15),
        "isbn": "9780826412768",
        "stock": 2,
        "description": (
            "Freire argues against education as depositing facts into passive students "
            "and for learning as a shared practice of naming and changing the world. A "
            "touchstone for anyone who runs a study group."
        ),
        "added_days_ago": 650,
    },
    {
        "title": "Fragments of an Anarchist Anthropology",
        "subtitle": "",
        "authors": ["David Graeber"],
        "publisher": "Prickly Paradigm Press",
        "release_date": date(2004, 4, 15),
        "isbn": "9780972819640",
        "stock": 1,
        "description": (
            "A slim, playful book asking why anthropologists, who have seen so many "
            "societies without states, so rarely talk about anarchism. Graeber in "
            "sketchbook mode."
        ),
        "added_days_ago": 720,
    },
    {
        "title": "The Dawn of Everything",
        "subtitle": "A New History of Humanity",
        "authors": ["David Graeber", "David Wengrow"],
        "publisher": "Farrar, Straus and Giroux",
        "release_date": date(2021, 11, 9),
        "isbn": "9780374157357",
        "stock": 0,
        "description": (
            "Graeber and Wengrow gather evidence that early human societies "
            "experimented widely with equality, hierarchy and seasonal politics. Long, "
            "generous and full of surprises about the deep past."
        ),
        "added_days_ago": 210,
    },
    {
        "title": "Debt",
        "subtitle": "The First 5,000 Years",
        "authors": ["David Graeber"],
        "publisher": "Melville House",
        "release_date": date(2011, 7, 12),
        "isbn": "9781933633862",
        "stock": 2,
        "description": (
            "A sweeping history of credit, money and obligation from ancient "
            "Mesopotamia to the 2008 crash. Graeber argues that debt has always been a "
            "moral story as much as an economic one."
        ),
        "added_days_ago": 630,
    },
    {
        "title": "Hope in the Dark",
        "subtitle": "Untold Histories, Wild Possibilities",
        "authors": ["Rebecca Solnit"],
        "publisher": "Haymarket Books",
        "release_date": date(2016, 4, 12),
        "isbn": "9781608465767",
        "stock": 3,
        "description": (
            "Solnit makes the case that hope is not optimism but a reason to act when "
            "the outcome is unknown. First written during the Iraq war years and "
            "updated since; a steadying book for bad weeks."
        ),
        "added_days_ago": 270,
    },
    {
        "title": "A Paradise Built in Hell",
        "subtitle": "The Extraordinary Communities That Arise in Disaster",
        "authors": ["Rebecca Solnit"],
        "publisher": "Penguin Books",
        "release_date": date(2010, 8, 31),
        "isbn": "9780143118077",
        "stock": 4,
        "description": (
            "From the 1906 San Francisco earthquake to Hurricane Katrina, Solnit shows "
            "how ordinary people tend to meet disaster with improvised generosity "
            "while authorities brace for panic. It reads differently in these "
            "mountains after Helene."
        ),
        "added_days_ago": 95,
    },
    {
        "title": "A People's History of the United States",
        "subtitle": "",
        "authors": ["Howard Zinn"],
        "publisher": "Harper Perennial Modern Classics",
        "release_date": date(2005, 2, 1),
        "isbn": "9780060838652",
        "stock": 5,
        "description": (
            "Zinn's classic retelling of U.S. history from the side of workers, "
            "enslaved people, Indigenous nations, women and dissenters. Still the book "
            "most often asked for by name at the counter."
        ),
        "added_days_ago": 900,
    },
    {
        "title": "An Indigenous Peoples' History of the United States",
        "subtitle": "",
        "authors": ["Roxanne Dunbar-Ortiz"],
        "publisher": "Beacon Press",
        "release_date": date(2014, 9, 16),
        "isbn": "9780807057834",
        "stock": 3,
        "description": (
            "Dunbar-Ortiz tells the story of the United States as a settler-colonial "
            "project and puts four centuries of Indigenous resistance at the center. "
            "Unsparing and essential."
        ),
        "added_days_ago": 410,
    },
    {
        "title": "Assata",
        "subtitle": "An Autobiography",
        "authors": ["Assata Shakur"],
        "publisher": "Lawrence Hill Books",
        "release_date": date(2001, 11, 15),
        "isbn": "9781556520747",
        "stock": 2,
        "description": (
            "Assata Shakur's memoir of her childhood, her political life, her "
            "imprisonment and trials, and her escape to Cuba. Warm, funny in places "
            "and threaded with her poems."
        ),
        "added_days_ago": 365,
    },
    {
        "title": "Anarchism and Other Essays",
        "subtitle": "",
        "authors": ["Emma Goldman"],
        "publisher": "Dover Publications",
        "release_date": date(1969, 6, 15),
        "isbn": "9780486224848",
        "stock": 3,
        "description": (
            "Goldman's 1910 collection on anarchism, prisons, patriotism, marriage and "
            "suffrage. An inexpensive, sturdy edition of essays that still provoke."
        ),
        "added_days_ago": 810,
    },
    {
        "title": "Homage to Catalonia",
        "subtitle": "",
        "authors": ["George Orwell"],
        "publisher": "Mariner Books",
        "release_date": date(1980, 10, 20),
        "isbn": "9780156421171",
        "stock": 1,
        "description": (
            "Orwell's account of fighting with a POUM militia in the Spanish Civil War "
            "and of the infighting on the left that followed. The opening pages on "
            "revolutionary Barcelona are unforgettable."
        ),
        "added_days_ago": 560,
    },
    {
        "title": "Anarchism",
        "subtitle": "A Very Short Introduction",
        "authors": ["Colin Ward"],
        "publisher": "Oxford University Press",
        "release_date": date(2004, 10, 21),
        "isbn": "9780192804778",
        "stock": 4,
        "description": (
            "A pocket-size tour of anarchist history and ideas, from Proudhon to "
            "housing co-ops and free schools. The book we hand to people who ask where "
            "to start."
        ),
        "added_days_ago": 475,
    },
    {
        "title": "Two Cheers for Anarchism",
        "subtitle": ("Six Easy Pieces on Autonomy, Dignity, and Meaningful Work and Play"),
        "authors": ["James C. Scott"],
        "publisher": "Princeton University Press",
        "release_date": date(2012, 9, 1),
        "isbn": "9780691155296",
        "stock": 2,
        "description": (
            "Short pieces that look at ordinary life with what Scott calls an "
            "anarchist squint, from traffic lights to standardized tests. Curious, "
            "light and easy to dip into."
        ),
        "added_days_ago": 14,
    },
    {
        "title": "The Ecology of Freedom",
        "subtitle": "The Emergence and Dissolution of Hierarchy",
        "authors": ["Murray Bookchin"],
        "publisher": "AK Press",
        "release_date": date(2005, 7, 15),
        "isbn": "9781904859260",
        "stock": 1,
        "description": (
            "Bookchin's major work tying ecological destruction to the long history of "
            "human hierarchy and domination. Demanding but rewarding, and the "
            "foundation of social ecology."
        ),
        "added_days_ago": 740,
    },
    {
        "title": "Silent Spring",
        "subtitle": "",
        "authors": ["Rachel Carson"],
        "publisher": "Mariner Books",
        "release_date": date(2002, 10, 22),
        "isbn": "9780618249060",
        "stock": 1,
        "description": (
            "Carson's 1962 investigation of pesticides, which helped spark the modern "
            "environmental movement. Careful science written with a naturalist's love "
            "of detail."
        ),
        "added_days_ago": 670,
    },
    {
        "title": "This Changes Everything",
        "subtitle": "Capitalism vs. the Climate",
        "authors": ["Naomi Klein"],
        "publisher": "Simon & Schuster",
        "release_date": date(2014, 9, 16),
        "isbn": "9781451697384",
        "stock": 2,
        "description": (
            "Klein argues that the climate crisis cannot be separated from an economy "
            "built on endless growth, and spends time with frontline communities "
            "resisting extraction. Big, reported and urgent."
        ),
        "added_days_ago": 380,
    },
    {
        "title": "Braiding Sweetgrass",
        "subtitle": ("Indigenous Wisdom, Scientific Knowledge and the Teachings of Plants"),
        "authors": ["Robin Wall Kimmerer"],
        "publisher": "Milkweed Editions",
        "release_date": date(2013, 10, 15),
        "isbn": "9781571313560",
        "stock": 0,
        "description": (
            "A botanist and member of the Citizen Potawatomi Nation weaves plant "
            "science together with Indigenous teachings about reciprocity. Gentle "
            "essays that change how you walk through a garden."
        ),
        "added_days_ago": 610,
    },
    {
        "title": "As Long as Grass Grows",
        "subtitle": (
            "The Indigenous Fight for Environmental Justice, from Colonization to Standing Rock"
        ),
        "authors": ["Dina Gilio-Whitaker"],
        "publisher": "Beacon Press",
        "release_date": date(2019, 4, 2),
        "isbn": "9780807073780",
        "stock": 2,
        "description": (
            "Gilio-Whitaker follows Indigenous environmental justice struggles from "
            "early colonization through Standing Rock, and asks what mainstream "
            "environmentalism keeps missing."
        ),
        "added_days_ago": 9,
    },
    {
        "title": "No Shortcuts",
        "subtitle": "Organizing for Power in the New Gilded Age",
        "authors": ["Jane F. McAlevey"],
        "publisher": "Oxford University Press",
        "release_date": date(2016, 9, 15),
        "isbn": "9780190624712",
        "stock": 3,
        "description": (
            "A veteran union organizer separates advocacy, mobilizing and deep "
            "organizing, and uses case studies to show why only the last one builds "
            "lasting power. Practical and opinionated."
        ),
        "added_days_ago": 240,
    },
    {
        "title": "Nickel and Dimed",
        "subtitle": "On (Not) Getting By in America",
        "authors": ["Barbara Ehrenreich"],
        "publisher": "Picador",
        "release_date": date(2011, 8, 2),
        "isbn": "9780312626686",
        "stock": 2,
        "description": (
            "Ehrenreich took low-wage jobs as a waitress, a house cleaner and a "
            "big-box clerk to see whether she could make rent. Decades later, the math "
            "has not improved."
        ),
        "added_days_ago": 590,
    },
    {
        "title": "The Grapes of Wrath",
        "subtitle": "",
        "authors": ["John Steinbeck"],
        "publisher": "Penguin Books",
        "release_date": date(2006, 1, 3),
        "isbn": "9780143039433",
        "stock": 3,
        "description": (
            "The Joad family's journey from the Oklahoma dust bowl to the labor camps "
            "of California. Steinbeck's anger holds up."
        ),
        "added_days_ago": 850,
    },
    {
        "title": "What You Are Getting Wrong About Appalachia",
        "subtitle": "",
        "authors": ["Elizabeth Catte"],
        "publisher": "Belt Publishing",
        "release_date": date(2018, 2, 6),
        "isbn": "9780998904146",
        "stock": 5,
        "description": (
            "A short, sharp answer to the idea of Appalachia as 'Trump Country' and to "
            "Hillbilly Elegy's version of the region. Catte brings in the mine wars, "
            "absentee land ownership and a long history of people fighting back."
        ),
        "added_days_ago": 12,
    },
    {
        "title": "Ramp Hollow",
        "subtitle": "The Ordeal of Appalachia",
        "authors": ["Steven Stoll"],
        "publisher": "Hill and Wang",
        "release_date": date(2017, 8, 15),
        "isbn": "9780809095056",
        "stock": 0,
        "description": (
            "Stoll explains how mountain households that lived by farming, foraging "
            "and shared commons were dispossessed by timber and coal companies. A "
            "history of Appalachian poverty that starts with land, not culture."
        ),
        "added_days_ago": 24,
    },
    {
        "title": "Veganomicon",
        "subtitle": "The Ultimate Vegan Cookbook",
        "authors": ["Isa Chandra Moskowitz", "Terry Hope Romero"],
        "publisher": "Da Capo Press",
        "release_date": date(2007, 11, 13),
        "isbn": "9781569242643",
        "stock": 2,
        "description": (
            "The big, well-loved vegan cookbook from two New York cooks, with "
            "everything from weeknight beans to holiday centerpieces. The source of at "
            "least three dishes on our cafe menu."
        ),
        "added_days_ago": 780,
    },
    {
        "title": "Salt, Fat, Acid, Heat",
        "subtitle": "Mastering the Elements of Good Cooking",
        "authors": ["Samin Nosrat"],
        "publisher": "Simon & Schuster",
        "release_date": date(2017, 4, 25),
        "isbn": "9781476753836",
        "stock": 0,
        "description": (
            "Nosrat teaches cooking through four elements instead of fixed recipes, "
            "with Wendy MacNaughton's drawings on nearly every page. It turns people "
            "who thought they couldn't cook into cooks."
        ),
        "added_days_ago": 300,
    },
    {
        "title": "The Sioux Chef's Indigenous Kitchen",
        "subtitle": "",
        "authors": ["Sean Sherman", "Beth Dooley"],
        "publisher": "University of Minnesota Press",
        "release_date": date(2017, 10, 10),
        "isbn": "9780816699797",
        "stock": 2,
        "description": (
            "Recipes built from foods native to the Dakota and Minnesota territories, "
            "with no wheat flour, dairy or cane sugar. Sherman, an Oglala Lakota chef, "
            "writes about reclaiming food as much as cooking it."
        ),
        "added_days_ago": 18,
    },
    {
        "title": "A Is for Activist",
        "subtitle": "",
        "authors": ["Innosanto Nagara"],
        "publisher": "Seven Stories Press",
        "release_date": date(2013, 11, 5),
        "isbn": "9781609805395",
        "stock": 6,
        "description": (
            "An alphabet board book with a rhyme for every letter and a cat hiding on "
            "every page. For toddlers and for the grown-ups doing the reading aloud."
        ),
        "added_days_ago": 430,
    },
    {
        "title": "Julián Is a Mermaid",
        "subtitle": "",
        "authors": ["Jessica Love"],
        "publisher": "Candlewick Press",
        "release_date": date(2018, 4, 24),
        "isbn": "9780763690458",
        "stock": 3,
        "description": (
            "After seeing three women dressed as mermaids on the subway, Julián wants "
            "to be one too, and his abuela answers with love. Gorgeous paintings and "
            "very few words."
        ),
        "added_days_ago": 21,
    },
    {
        "title": "The Lorax",
        "subtitle": "",
        "authors": ["Dr. Seuss"],
        "publisher": "Random House",
        "release_date": date(1971, 8, 12),
        "isbn": "9780394823379",
        "stock": 0,
        "description": (
            "The Once-ler chops down every Truffula tree while the Lorax speaks for "
            "them. Still the best story about extraction for five-year-olds."
        ),
        "added_days_ago": 500,
    },
    {
        "title": "Citizen",
        "subtitle": "An American Lyric",
        "authors": ["Claudia Rankine"],
        "publisher": "Graywolf Press",
        "release_date": date(2014, 10, 7),
        "isbn": "9781555976903",
        "stock": 1,
        "description": (
            "Prose poems, images and scripts about the small and large racist "
            "aggressions of everyday American life. A book to read slowly and then "
            "pass along."
        ),
        "added_days_ago": 350,
    },
    {
        "title": "Mutual Aid",
        "subtitle": "Building Solidarity During This Crisis (and the Next)",
        "authors": ["Dean Spade"],
        "publisher": "Verso Books",
        "release_date": date(2020, 10, 27),
        "isbn": "9781839762123",
        "stock": 6,
        "description": (
            "A pocket-sized guide to what mutual aid is, how it differs from charity, "
            "and how groups can make decisions, work through conflict and avoid "
            "burnout. Spade keeps it practical."
        ),
        "added_days_ago": 1,
    },
    {
        "title": "The Wretched of the Earth",
        "subtitle": "",
        "authors": ["Frantz Fanon"],
        "publisher": "Grove Press",
        "release_date": date(2005, 3, 10),
        "isbn": "9780802141323",
        "stock": 2,
        "description": (
            "Fanon's analysis of colonial violence, national liberation and the traps "
            "waiting for post-colonial elites, in Richard Philcox's translation. Hard "
            "going and essential."
        ),
        "added_days_ago": 660,
    },
    {
        "title": "Gender Queer",
        "subtitle": "A Memoir",
        "authors": ["Maia Kobabe"],
        "publisher": "Oni Press",
        "release_date": date(2019, 5, 28),
        "isbn": "9781549304002",
        "stock": 0,
        "description": (
            "Kobabe's graphic memoir about growing up and coming to understand eir "
            "identity as nonbinary and asexual. Honest, awkward and tender, and one of "
            "the most challenged books in the country."
        ),
        "added_days_ago": 260,
    },
    {
        "title": "Mutual Aid Is Not Charity",
        "subtitle": "Notes from the Weeks After Helene",
        "authors": ["French Broad Neighbors Collective"],
        "publisher": "Self-published",
        "release_date": date(2025, 3, 1),
        "isbn": None,
        "stock": 0,
        "description": (
            "A photocopied zine put together by neighbors who ran supply tables, water "
            "runs and check-in lists after Hurricane Helene. Practical lessons, a few "
            "hard stories and a lot of gratitude. Pay what you can."
        ),
        "added_days_ago": 3,
    },
    {
        "title": "Ramps, Pawpaws & Poke Sallet",
        "subtitle": "A Foraging Zine for the Southern Blue Ridge",
        "authors": ["Hazel Dotson"],
        "publisher": "Self-published",
        "release_date": date(2023, 4, 1),
        "isbn": None,
        "stock": 4,
        "description": (
            "A hand-drawn guide to a dozen wild foods, with notes on harvesting gently "
            "and leaving plenty behind. Always check with an experienced forager "
            "before eating anything."
        ),
        "added_days_ago": 150,
    },
    {
        "title": "Poems from the Back Porch",
        "subtitle": "",
        "authors": ["Dell Cantrell", "Marisol Vega"],
        "publisher": "Self-published",
        "release_date": date(2022, 11, 1),
        "isbn": None,
        "stock": 1,
        "description": (
            "A stapled chapbook from two regulars at our monthly open mic: mountains, "
            "night shifts, grandmothers and the river."
        ),
        "added_days_ago": 420,
    },
    {
        "title": "Know Your Rights as a Tenant",
        "subtitle": "A Pocket Guide for Western North Carolina",
        "authors": ["Tenant Solidarity Circle"],
        "publisher": "Self-published",
        "release_date": date(2024, 6, 1),
        "isbn": None,
        "stock": 5,
        "description": (
            "A folded pocket guide to repairs, deposits and what to do when an "
            "eviction notice arrives, plus where to find free legal help. General "
            "information, not legal advice."
        ),
        "added_days_ago": 5,
    },
]

REVIEWS = [
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
SHELVES = {
    "Anarchism": [
        "Dispersing Power",
        "The Dispossessed",
        "Fragments of an Anarchist Anthropology",
        "Debt",
        "Anarchism and Other Essays",
        "Homage to Catalonia",
        "Anarchism",
        "Two Cheers for Anarchism",
        "The Ecology of Freedom",
        "Mutual Aid",
    ],
    "Appalachia": [
        "What You Are Getting Wrong About Appalachia",
        "Ramp Hollow",
        "Ramps, Pawpaws & Poke Sallet",
        "Poems from the Back Porch",
        "Mutual Aid Is Not Charity",
        "Know Your Rights as a Tenant",
    ],
    "Kids": ["A Is for Activist", "Julián Is a Mermaid", "The Lorax"],
    "Poetry": ["Citizen", "Poems from the Back Porch"],
    "Speculative Fiction": [
        "The Dispossessed",
        "The Left Hand of Darkness",
        "Kindred",
        "Parable of the Sower",
        "Bloodchild and Other Stories",
        "Octavia's Brood",
    ],
    "Food & Drink": [
        "Veganomicon",
        "Salt, Fat, Acid, Heat",
        "The Sioux Chef's Indigenous Kitchen",
        "Ramps, Pawpaws & Poke Sallet",
    ],
    "Staff picks": [
        "Emergent Strategy",
        "Caliban and the Witch",
        "Kindred",
        "Hope in the Dark",
        "Braiding Sweetgrass",
    ],
}

# Sent to the collective and not yet decided, so the demo's approval queue has work in it.
WAITING_REVIEWS = [
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
HOLDS = [
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
SPECIAL_HOURS = [
    {"in_days": 4, "days": 1, "hours": ("08:00", "23:00"), "reason": "An evening reading"},
    {"in_days": 10, "days": 2, "hours": None, "reason": "The collective's retreat"},
]
