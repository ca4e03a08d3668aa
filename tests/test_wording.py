"""Word-level differences between two wordings of a field (claims.wording)."""

from django.template import Context, Template
from django.test import SimpleTestCase

from claims.wording import diff_words, tokens


class DiffWordsTests(SimpleTestCase):
    def test_an_appended_sentence_is_the_only_insertion(self):
        words = diff_words("Chief spokesman of the Taliban.", "Chief spokesman of the Taliban. He speaks for Kabul.")

        self.assertEqual(words.old_html, "Chief spokesman of the Taliban.")
        self.assertEqual(words.new_html, "Chief spokesman of the Taliban.<ins> He speaks for Kabul.</ins>")

    def test_a_changed_word_is_struck_on_one_side_and_inserted_on_the_other(self):
        words = diff_words("The ceasefire was signed in June 2022.", "The ceasefire was signed in May 2022.")

        self.assertEqual(words.old_html, "The ceasefire was signed in <del>June</del> 2022.")
        self.assertEqual(words.new_html, "The ceasefire was signed in <ins>May</ins> 2022.")

    def test_a_changed_phrase_is_marked_whole_not_word_by_word(self):
        words = diff_words("they shelter the TTP", "they arm and train the TTP")

        self.assertEqual(words.old_html, "they <del>shelter</del> the TTP")
        self.assertEqual(words.new_html, "they <ins>arm and train</ins> the TTP")

    def test_punctuation_changes_alone(self):
        words = diff_words("Kabul, 2022.", "Kabul; 2022.")

        self.assertEqual((words.old_html, words.new_html), ("Kabul<del>,</del> 2022.", "Kabul<ins>;</ins> 2022."))

    def test_whitespace_and_line_breaks_are_kept(self):
        old, new = "One.\n\nTwo  words.", "One.\n\nTwo  words.\nThree."

        self.assertEqual("".join(tokens(new)), new)
        self.assertEqual(diff_words(old, new).new_html, "One.\n\nTwo  words.<ins>\nThree.</ins>")

    def test_everything_is_escaped(self):
        words = diff_words("<b>bold</b> & <i>x</i>", "<b>bold</b> & <script>alert(1)</script>")

        self.assertNotIn("<b>", words.old_html + words.new_html)
        self.assertNotIn("<script>", words.new_html)
        self.assertIn("&lt;b&gt;bold&lt;/b&gt; &amp; ", words.new_html)
        self.assertIn("<ins>", words.new_html)

    def test_from_nothing_and_to_nothing(self):
        self.assertEqual(diff_words("", "New text").new_html, "<ins>New text</ins>")
        self.assertEqual(diff_words("Old text", "").old_html, "<del>Old text</del>")

    def test_the_same_text_is_unchanged_and_unmarked(self):
        words = diff_words("Same words.", "Same words.")

        self.assertFalse(words.changed)
        self.assertEqual((words.old_html, words.new_html), ("Same words.", "Same words."))

    def test_the_template_tag_takes_any_value(self):
        rendered = Template("{% load wording %}{% word_diff old new as w %}{{ w.old_html }}|{{ w.new_html }}").render(
            Context({"old": None, "new": 3})
        )

        self.assertEqual(rendered, "|<ins>3</ins>")
