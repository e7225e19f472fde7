"""common.html.select: the roster form's selects written in Python."""

from django.utils.safestring import SafeString

from dividend.common.html import select


def test_select_escapes_marks_chosen_and_keeps_attributes():
    html = select("theme", [(1, "Organised crime"), (2, '<b>"Cyber" & co\'s</b>'), (10, 3)], ["2", 10, None],
                  element_id="id_theme", multiple=True)
    assert isinstance(html, SafeString)
    assert html == ('<select name="theme" id="id_theme" multiple>'
                    '<option value="1">Organised crime</option>'
                    '<option value="2" selected>&lt;b&gt;&quot;Cyber&quot; &amp; co&#x27;s&lt;/b&gt;</option>'
                    '<option value="10" selected>3</option></select>')


def test_select_with_blank_and_label():
    html = select("skill", [(5, "Forensics")], [None], aria_label='Skill "1"', blank="—")
    assert html == ('<select name="skill" aria-label="Skill &quot;1&quot;"><option value="">—</option>'
                    '<option value="5">Forensics</option></select>')
