"""Every general cleaning rule in seeds/cleaning.yml, one test each.

For each rule (named here by its reason), lines it must remove and lines
that look alike but must stay.  A line is checked inside a small made-up
scrape run through the real pipeline: a removed line is gone from the clean
text and recorded with that rule's reason; a kept line is still there.  A
rule added to cleaning.yml without examples here fails the last test.
"""
from __future__ import annotations

import pytest
import yaml

from scripts.core import corpus
from scripts.core.model import rebuild_raw, record_of
from test_pipeline import make_doc, texts

BODY = "A Page Title\n\nThe first paragraph of the text is long enough to be a paragraph of prose.\n\n"
TAIL = "\n\nThe last paragraph of the text is also long enough to be a paragraph of prose.\n"

RULES = {
    "placeholder for the reader's own avatar in the comment widget": (["User's avatar"], ["User's guide"]),
    "heading of the comment form": (["Leave a Reply", "Leave a Reply to Rich", "Cancel reply"],
                                    ["Leave a reply if you like this post and want more of it."]),
    "notice of the comment form": (["Your email address will not be published. Required fields are marked *"],
                                   ["Your email address is safe with us, she said, and it was true."]),
    "check box of the comment form": (["Save my name, email, and website in this browser for the next time I comment."],
                                      ["Save my name for later, he asked the clerk at the desk."]),
    "stray separator left by the scraper": (["|", "||"], ["a | b"]),
    "button label of the page": (["Share this:", "Like this:", "Loading...", "Reply", "Report"],
                                 ["Reply to the critics of the plan"]),
    "share button of a blog theme": (["Click to share on Twitter (Opens in new window)", "Like Loading..."],
                                     ["Click here and you will see why the plan works so well."]),
    "sidebar or footer of a blog theme": (["Recent Comments", "Proudly powered by WordPress",
                                           "View all posts by Daniel Lemire"], ["Recent comments on the plan"]),
    "skip link for keyboard and screen-reader users": (["Skip to content", "Skip to main content",
                                                         "Skip to navigation", "Menu and widgets"],
                                                        ["Skip to the end of the story"]),
    "menu button of the site's header": (["Hamburger Menu", "Secondary Menu", "Expand Search Form", "Menu"],
                                         ["Menu of the day"]),
    "subscription notice of a blog theme": (["You can subscribe to this blog by email."],
                                            ["You can subscribe to the paper version too, if you like it."]),
    "heading of an archive page the article was scraped from": (["Monthly Archives: August 2017",
                                                                  "Tag Archives: water"], ["Archives of the city"]),
    "page numbers of an archive page": (["1 2 3 7", "1 2 3 … 9 Next »", "Older posts"], ["1 in 3 people agree"]),
    "label of a photo gallery widget": (["This gallery contains 1 photo.", "This gallery contains 12 photos"],
                                        ["This gallery contains works by Monet and his friends."]),
    "greeting left on the page by a theme widget": (["Hello", "Congratulations"], ["Hello, world, said the program."]),
    "previous/next navigation of a Typepad blog": (['« Lunch for a Friday in Lent | Main | "Besiege the New York Times" »'],
                                                   ["The Main Street | Broadway corner"]),
    "notice that the comment form is closed": (["The comments to this entry are closed.", "Comments are closed."],
                                               ["The comments to this entry are worth reading, all of them."]),
    "label of an advertisement slot": (["Advertisement", "ADVERTISEMENT", "Story continues below advertisement"],
                                       ["Advertisement spending rose by a third last year, it said."]),
    "button or link of a news site": (["Continue reading the main story", "Share This Page", "SUBSCRIBE NOW",
                                       "Order Reprints", "Related Coverage"], ["Related coverage of the war"]),
    "notice about old browsers": (["NYTimes.com no longer supports Internet Explorer 9 or earlier. Please upgrade your browser."],
                                  ["Internet Explorer was once the most used browser of all."]),
    "notice of the site's audio reader": (["New: You can now listen to articles.", "Listen to this article · 5 min",
                                           "4 min read"], ["Listen to this: the band played on."]),
    "award banner of a news site": (["Pulitzer Prize-winning journalism since 1851",
                                     "Winner of the 2023 Peabody Award"],
                                    ["She won the Pulitzer Prize in 2019 for her reporting on the war."]),
    "section label of a news site": (["World", "Politics", "Opinion", "Asia Pacific"], ["World affairs in brief"]),
    "share button of a news site": (["Share on Facebook", "Copy link", "Twitter", "Email", "Print"],
                                    ["Twitter was renamed X in 2023, the company said."]),
    "sign-in or newsletter prompt of a news site": (["Sign up for our daily newsletter", "Subscribe", "Sign in",
                                                     "Already a subscriber? Log in"],
                                                    ["Subscribers to the plan pay less each month."]),
    "list of links to other stories": (["Most Popular", "Read more: Why DeepSeek matters", "Related Articles",
                                        "More from Reuters", "You might also like"],
                                       ["Most popular apps were made in China, the study found."]),
    "footer or cookie notice of a site": (["© 2024 The Company. All rights reserved.", "Privacy Policy",
                                           "We use cookies to improve your experience.", "Back to top"],
                                          ["The privacy policy of the app was changed in May."]),
    "editor-in-charge line of a Chinese news site": (["[责任编辑:肖春芳]", "责任编辑：王明"],
                                                      ["责任编辑的工作很重要，他说。"]),
    "menu bar of Hacker News": (["Hacker News new | past | comments | ask | show | jobs | submit login",
                                 "Hacker Newsnew | past | comments | ask | show | jobs | submitlogin"],
                                ["Hacker News is a social news website."]),
    "submission line of Hacker News (points, author, age, buttons)": (
        ["401 points by mxstbr on Apr 16, 2017 | hide | past | web | favorite | 80 comments",
         "hide | past | favorite | 100 comments"], ["He told me to hide the past from her."]),
    "comment buttons of Hacker News": (["reply", "parent | next [–]", "[–]"], ["reply to all"]),
    "footer links of Hacker News": (["Guidelines | FAQ | Lists | API | Security | Legal | Apply to YC | Contact"],
                                    ["Guidelines for the FAQ are on the contact page."]),
    "interface text of Reddit": (["Press J to jump to the feed. Press question mark to learn the rest of the keyboard shortcuts",
                                  "User account menu", "Found the internet!", "This thread is archived",
                                  "New comments cannot be posted and votes cannot be cast"],
                                 ["This thread is about the archive of the city."]),
    "community, poster and age line of a Reddit post": (["r/announcements • u/KeyserSosa • Apr 06 '16",
                                                          "Posted by u/spez 3 years ago"],
                                                         ["r/announcements is where the admins post news."]),
    "vote, score and thread controls of Reddit": (["174 points · 21 days ago",
                                                   "Reddit admin, speaking officially240 points · 1 month ago",
                                                   "263 points · 1 month agoGilded1", "86% Upvoted", "level 1",
                                                   "Continue this thread", "see more", "25.4k comments"],
                                                  ["He scored 174 points in the game 21 days ago."]),
    "comment buttons of Reddit": (["Reply Share Report Save", "permalink", "embed", "save", "Give Award"],
                                  ["Save the date for the meeting"]),
    "vote score standing alone on its line": (["361", "1.2k"], ["361 people came"]),
    "topic summary of a Discourse forum": (["created Mar 2024 last reply Apr 2024", "12 replies", "3.4k views"],
                                           ["Twelve replies came in the first hour."]),
    "interface text of the Disqus comment widget": (["Powered by Disqus", "Sort by Best", "Start the discussion…",
                                                     "Be the first to comment."],
                                                    ["Disqus is a comment service used by many blogs."]),
    "banner of a Stack Exchange site": (["Take the 2-minute tour ×",
                                         "Unix & Linux Stack Exchange is a question and answer site for users of Linux."],
                                        ["Take the tour of the city before you leave."]),
    "vote and edit controls of a Stack Exchange question": (["share|improve this question", "2 Answers 2",
                                                             "up vote 25 down vote accepted", "add a comment"],
                                                            ["Two answers were given to the question."]),
    "vote counter and byline of a question-and-answer site": (["+2 votes", "0 votes", "by (33.0k points)",
                                                               "edited by", "1 answer"],
                                                              ["The motion got 2 votes more than needed."]),
    "interface text of Wikipedia": (["From Wikipedia, the free encyclopedia", "Jump to: navigation, search"],
                                    ["Wikipedia, the free encyclopedia, was founded in 2001."]),
    "file name of an image the scrape lost": (["Hackernews logo.png", "File:Www.wikipedia.org screenshot 2015.png"],
                                              ["The logo is a png file, as the page says."]),
    "maintenance banner of the Chinese Wikipedia": (["本頁疑似為用户直接在此建立:", "2. 建立者:Vanished user 1929210讨论 | 貢獻"],
                                                     ["维基百科是一个网站。"]),
    "reading time and byline strip of a tutorial page": (["15 min•By Priygop Team•Updated 2026", "21 minutes",
                                                          "4312 words"], ["15 minutes later the train came."]),
    "interface label of a tutorial page": (["Loading diagram…", "Quick Quiz", "Practice Task", "Copy code"],
                                           ["Quick quizzes help the pupils learn."]),
    "label of the post's categories": (["Categories:", "Tags:"], ["Categories: a short guide to them all."]),
    "heading of a sidebar widget (with a '#' heading sign, the short lines under it go too)": (
        ["About Community", "Moderators", "Follow Us", "About the Author"],
        ["About the community garden, which opened in May.", "Follow us down to the river"]),
}

INLINE = {
    "edit link of a Wikipedia section heading": ("Vision, practices, and criticism[edit]", "[edit]"),
    "maintenance tag of Wikipedia": ("the number of downvotes.\"[2][clarification needed]", "[clarification needed]"),
}


def _reasons():
    data = yaml.safe_load((corpus.SEEDS / "cleaning.yml").read_text(encoding="utf-8"))
    return [(item["reason"], bool(item.get("inline"))) for item in data["boilerplate"]]


@pytest.mark.parametrize("reason", sorted(RULES))
def test_rule_removes_its_lines_and_keeps_look_alikes(tmp_path, reason):
    removes, keeps = RULES[reason]
    raw = BODY + "\n\n".join(removes + keeps) + TAIL
    doc = make_doc(tmp_path, raw)
    lines = {l.strip() for l in doc.text.split("\n")}
    for line in removes:
        assert line not in lines, f"{line!r} is still in the clean text"
        assert any(c.sic.strip() == line and c.reason == reason for c in doc.changes), \
            f"{line!r} not recorded as removed by the rule {reason!r}"
    for line in keeps:
        assert line in lines or line in doc.text, f"{line!r} was removed"


@pytest.mark.parametrize("reason", sorted(INLINE))
def test_inline_rule_removes_only_its_mark(tmp_path, reason):
    line, mark = INLINE[reason]
    doc = make_doc(tmp_path, BODY + line + TAIL)
    assert line.replace(mark, "") in doc.text and mark not in doc.text
    assert [c.sic for c in doc.changes if c.reason == reason] == [mark]


def test_every_rule_has_examples_here():
    for reason, inline in _reasons():
        assert reason in (INLINE if inline else RULES), f"cleaning.yml rule {reason!r} has no test"


# --- structure rules: comments -------------------------------------------------

def test_wordpress_says_headers_open_comments_with_authors(tmp_path):
    raw = (BODY + "3 thoughts on “A Page Title”\n\n  1. Rich says:\n\n    This is some shade, and well deployed.\n\n"
           "  2. zztr says:\n\n    > Amazon buys some grocery stores.\n\n    Au contraire, this is the deal part deux.\n")
    doc = make_doc(tmp_path, raw)
    assert [c.author for c in doc.comments] == ["Rich", "zztr"]
    assert texts(doc, "quote", "comments") == ["Amazon buys some grocery stores."]
    assert not texts(doc, "list")                        # the comment numbers are not a list
    assert any(c.sic.startswith("3 thoughts on") and c.kind == "structure" for c in doc.changes)


def test_reddit_comment_header_gives_author_and_time(tmp_path):
    doc = make_doc(tmp_path, BODY + "u/Drunken_Economist Apr 06 '16\n\nreddit allows for 3- to 20-character usernames.\n")
    assert [(c.author, c.time) for c in doc.comments] == [("Drunken_Economist", "Apr 06 '16")]


def test_expand_full_comment_ends_each_comment(tmp_path):
    raw = ("276 Comments\n\nOver a decade ago, my publisher told me something.\n\nNeal\n\nExpand full comment\n\n"
           "It is a lost cause because readers do not buy because of the publisher.\n\nExpand full comment\n")
    doc = make_doc(tmp_path, raw)
    assert len(doc.comments) == 2
    first = [doc.block_text(b) for b in doc.blocks if b.comment == 0]
    assert first == ["Over a decade ago, my publisher told me something.", "Neal"]   # "Neal" is not joined on


def test_blank_line_runs_part_comments(tmp_path):
    raw = ("A Thread Title\n\n\n\nFirst comment, first paragraph of it here.\n\nFirst comment, second paragraph.\n\n\n"
           "Second comment, all in one paragraph here.\n\n\nThird comment, also in one paragraph.\n")
    doc = make_doc(tmp_path, raw)
    bodies = [[doc.block_text(b)[:14] for b in doc.blocks if b.comment == c.index] for c in doc.comments]
    assert bodies == [["First comment,", "First comment,"], ["Second comment"], ["Third comment,"]]


def test_one_blank_line_run_after_a_title_is_not_a_comment_section(tmp_path):
    doc = make_doc(tmp_path, "A Title Of An Article\n\n\nFirst paragraph of the article.\n\nSecond paragraph.\n")
    assert not doc.comments


def test_repeated_headline_and_doubled_line_are_removed(tmp_path):
    raw = "Hacker News\n\nType of site\nHacker News\nNews aggregator\n\nTab label\nTab label\n\nBody text here.\n"
    doc = make_doc(tmp_path, raw)
    assert doc.text.count("Hacker News") == 1 and doc.text.count("Tab label") == 1
    assert sum(c.rule == "repeated-line" for c in doc.changes) == 2


# --- sidebar widgets and mastheads ------------------------------------------

SIDEBAR = ("# What is the most worth it item you ever bought?\n\n## About Community\n\n"
           "r/AskReddit is the place to ask and answer thought-provoking questions.\n\n36.8m\n\nMembers\n\n"
           "Created Jan 25, 2008\n\nComment · 3 yr. ago\n\nA Miele canister vacuum, bought on sale in Canada.\n")


def test_sidebar_widget_heading_goes_with_the_short_lines_under_it(tmp_path):
    doc = make_doc(tmp_path, SIDEBAR)
    assert "About Community" not in doc.text and "thought-provoking" not in doc.text and "Members" not in doc.text
    gone = [c for c in doc.changes if c.stage == "boilerplate"]
    assert [c.sic.strip() for c in gone if c.rule == "cleaning:sidebar"] == [
        "r/AskReddit is the place to ask and answer thought-provoking questions.", "36.8m", "Members",
        "Created Jan 25, 2008"]
    assert any(c.sic.strip() == "## About Community" for c in gone)
    # the comment after the widget is untouched, and the raw scrape still rebuilds
    assert [c.time for c in doc.comments] == ["3 yr. ago"]
    assert rebuild_raw(doc.text, record_of(doc)) == SIDEBAR.encode()


def test_sidebar_widget_stops_at_a_long_paragraph_and_at_the_next_heading(tmp_path):
    long = ("The community was founded by three friends who met at a bus stop one cold winter day. "
            "It has grown since.")
    raw = ("# A Title\n\n## About Community\n\nMembers\n\n" + long + "\n\n## About Community\n\n36.8m\n\n"
           "## 1 Answer\n\nAnswers are below.\n")
    doc = make_doc(tmp_path, raw)
    assert long in doc.text and "Members" not in doc.text and "36.8m" not in doc.text
    assert texts(doc, "heading") == ["1 Answer"]      # a page's own heading is kept, even one a rule knows


def test_sidebar_words_without_a_heading_sign_take_nothing_with_them(tmp_path):
    doc = make_doc(tmp_path, BODY + "About Community\n\nMembers of the club met on Friday\n" + TAIL)
    assert "About Community" not in doc.text and "Members of the club met on Friday" in doc.text


MASTHEAD = ("Yield Thought\n\nit's not as hard as you think\nformerly coderoom.wordpress.com\n\n"
            "Last week I promised to share all the details about my cloud development setup.\n\n"
            "Step 1: Get a Linode\n\nI chose a Linode 512, which has been perfect for my needs.\n")


def test_blog_name_and_tagline_above_the_posts_are_removed_and_recorded(tmp_path):
    doc = make_doc(tmp_path, MASTHEAD)
    assert doc.text.startswith("Last week I promised")
    gone = [c for c in doc.changes if c.rule == "masthead"]
    assert len(gone) == 1 and gone[0].kind == "boilerplate"
    assert gone[0].sic.strip() == "Yield Thought\n\nit's not as hard as you think\nformerly coderoom.wordpress.com"
    assert not any("Yield Thought" in t for t in texts(doc))   # the site's name is not the text's title
    assert rebuild_raw(doc.text, record_of(doc)) == MASTHEAD.encode()


@pytest.mark.parametrize("top", [
    "Hurricane Harvey\n\nA Houston-area chemical plant lost power.\n\n",         # a headline and its dek
    "Yield Thought\n\nit's not as hard as you think. Really, it is not.\n\n",       # a sentence, not a motto
    "Yield Thought\nit's not as hard as you think\n\n",                           # no blank line: one heading
    "the lower-case name\n\nit's not as hard as you think\n\n",                   # not a name
])
def test_a_headline_with_text_under_it_is_not_a_masthead(tmp_path, top):
    doc = make_doc(tmp_path, top + "Last week I promised to share all the details about my setup.\n")
    assert not any(c.rule == "masthead" for c in doc.changes)
