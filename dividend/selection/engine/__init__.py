"""Computation core of the selection app: eligibility, transparent scores, optimal assignment.

Plain Python + numpy/scipy; imports nothing of Dividend, Django or ninja (tests/test_architecture.py).
The app feeds it plain facts and stores what it returns. Typical use::

    from dividend.selection import engine as se
    rules = se.load_rule_set(rule_set_dict, vocabulary)           # RuleSetError lists every problem
    questions = se.restricted_questions(rules, positions)         # yes/no the app must answer
    verdict = se.evaluate(rules, candidate, position)              # .eligible, .outcomes (codes + params)
    text = se.describe(verdict.outcomes[0].reasons[0])             # English; the app translates codes
    weights = se.load_weights(weights_dict)                        # WeightsError
    explained = se.score(candidate, position, weights, regions_of)  # .total, .parts (weight, value, points)
    ranking = se.rank_candidates(rules, weights, candidates, position, regions_of)  # eligible first
    eligible = se.eligibility_matrix(rules, candidates, positions).eligible   # numpy, many pairs
    scores = se.score_matrix(candidates, positions, weights, regions_of)
    result = se.assign(se.AssignmentProblem(scores, eligible, pools=..., pool_max=..., women=...,
                                            min_women_share=0.2))
    baseline = se.greedy_assign(problem); costs = se.constraint_costs(problem, result)
"""

from .assignment import (
    AssignmentProblem,
    AssignmentResult,
    ConstraintCheck,
    assign,
    check_constraints,
    constraint_costs,
    explain_infeasibility,
    greedy_assign,
    objective_of,
    validate_problem,
)
from .eligibility import (
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    CandidateColumns,
    EligibilityMatrix,
    Evaluation,
    Outcome,
    eligibility_by_organisation,
    eligibility_matrix,
    evaluate,
    needed_on,
    restricted_questions,
)
from .errors import AssignmentInputError, DataError, Problem, RuleSetError, WeightsError
from .facts import CEFR, CEFR_NAMES, Candidate, MissionRecord, Position, Qualification, add_months, full_years
from .messages import CONSTRAINT_TEXTS, TEMPLATES, Reason, describe, describe_constraint
from .ranking import RankedCandidate, rank_candidates
from .rules import (
    DATA_DIR,
    KINDS,
    SHIPPED_RULE_SETS,
    Rule,
    RuleSet,
    Vocabulary,
    load_rule_set,
    shipped_rule_set,
    validate_rule_set,
)
from .scoring import (
    PARTS,
    Score,
    ScorePart,
    Weights,
    default_weights,
    level_value,
    load_weights,
    score,
    score_matrix,
    score_parts_matrix,
    validate_weights,
)

__all__ = [
    "CEFR", "CEFR_NAMES", "CONSTRAINT_TEXTS", "DATA_DIR", "KINDS", "MET", "NOT_APPLICABLE", "NOT_MET", "PARTS",
    "SHIPPED_RULE_SETS", "TEMPLATES", "AssignmentInputError", "AssignmentProblem", "AssignmentResult",
    "Candidate", "CandidateColumns", "ConstraintCheck", "DataError", "EligibilityMatrix", "Evaluation",
    "MissionRecord", "Outcome", "Position", "Problem", "Qualification", "RankedCandidate", "Reason", "Rule", "RuleSet",
    "RuleSetError", "Score", "ScorePart", "Vocabulary", "Weights", "WeightsError", "add_months", "assign",
    "check_constraints", "constraint_costs", "default_weights", "describe", "describe_constraint",
    "eligibility_by_organisation", "eligibility_matrix", "evaluate", "explain_infeasibility", "full_years",
    "greedy_assign", "level_value", "load_rule_set", "load_weights", "needed_on", "objective_of", "rank_candidates",
    "restricted_questions", "score", "score_matrix", "score_parts_matrix", "shipped_rule_set",
    "validate_problem", "validate_rule_set", "validate_weights",
]
