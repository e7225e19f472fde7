"""Pages of the model tree editor: edit weights, directions and transforms in the tree, preview the
ranking, save as a new version; add and remove nodes (each a new version); and the diff of a version
against the one before. Thin: the form
validates, editor.py acts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, editor, services
from .editor_forms import DIRECTION_CHOICES, TRANSFORM_NAMES, AddNodeForm, TreeEditForm
from .engine import ModelFileError
from .models import PriorityModelVersion
from .views import _errors, _model, _require_editor, _require_reader

SETTINGS = {"weight": gettext_lazy("Weight"), "direction": gettext_lazy("Direction"),
            "transform": gettext_lazy("Transform"), "node": gettext_lazy("Node added or removed")}
SHOWN = {**dict(DIRECTION_CHOICES), "": TRANSFORM_NAMES["none"], "present": gettext_lazy("present")}


def _shown(value):
    """A node value as people read it: 2 not 2.0, directions in words, no transform as "None"."""
    if isinstance(value, float):
        return editor.fmt_number(value)
    return SHOWN.get(value, value) if isinstance(value, str) else value


@login_required
def model_tree(request, name):
    """GET: the tree with its values. POST ``preview``: the ranking with the edited values beside the
    current version's (nothing stored). POST ``save``: a new version, then its diff."""
    _require_reader(request.user)
    model = _model(request.user, name)
    can_edit = access.can_edit_priorities(request.user)
    rows = editor.tree_rows(services.validate_model_text(model.current_version.text))
    adding = request.method == "POST" and "add" in request.POST
    form = TreeEditForm(request.POST if request.method == "POST" and not adding else None, rows=rows)
    add_form = AddNodeForm(request.POST if adding else None, rows=rows)
    problems, preview, status = [], None, 200
    if request.method == "POST" and (adding or "remove" in request.POST):
        # Adding or removing a node saves a new version at once (its diff page shows the change).
        _require_editor(request.user)
        try:
            if adding:
                if not add_form.is_valid():
                    raise ValidationError(_("Correct the new node's fields."))
                version = editor.add_tree_node(actor=request.user, model=model, node=add_form.new_node())
            else:
                version = editor.remove_tree_node(actor=request.user, model=model,
                                                  node_id=request.POST.get("remove", ""))
        except (ModelFileError, ValidationError) as exc:
            problems, status = _errors(exc), 400
        else:
            messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})
            return redirect("priorities:version_diff", name=model.name, number=version.number)
    elif request.method == "POST":
        _require_editor(request.user)
        if not form.is_valid():
            status = 400
        else:
            try:
                if "save" in request.POST:
                    current = model.current_version
                    version = editor.save_tree_edits(actor=request.user, model=model, edits=form.edits(),
                                                     comment=form.cleaned_data["comment"])
                    if version.pk == current.pk:
                        messages.info(request, _("Nothing changed: no new version."))
                        return redirect("priorities:tree", name=model.name)
                    messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})
                    return redirect("priorities:version_diff", name=model.name, number=version.number)
                changes = editor.preview_tree_edits(actor=request.user, model=model, edits=form.edits())[1]
                preview = {"rows": changes, "moved": sum(1 for c in changes if c.shift)}
            except (ModelFileError, ValidationError) as exc:
                problems, status = _errors(exc), 400
    return render(request, "priorities/model_tree.html", {
        "model": model, "form": form, "add_form": add_form, "problems": problems, "preview": preview,
        "can_edit": can_edit},
        status=status)


@login_required
def version_diff(request, name, number):
    """What changed in a version against the one before: node values, then the text."""
    _require_reader(request.user)
    model = _model(request.user, name)
    version = get_object_or_404(PriorityModelVersion.objects.visible_to(request.user).select_related("author"),
                                model=model, number=number)
    previous, values, lines = editor.version_changes(version)
    values = [{**v, "setting": SETTINGS.get(v["key"], v["key"]), "before": _shown(v["before"]),
               "after": _shown(v["after"])} for v in values]
    diff = [("add" if line.startswith("+") else "del" if line.startswith("-") else
             "hunk" if line.startswith("@@") else "", line) for line in lines]
    return render(request, "priorities/version_diff.html", {
        "model": model, "version": version, "previous": previous, "values": values, "diff": diff})
