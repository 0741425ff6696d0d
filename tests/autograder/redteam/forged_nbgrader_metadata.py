"""The attack cell claims to be nbgrader's test cell of sgd and a solution cell worth 1000 points,
and the cell before the honest ones is tagged as a hidden test; none of that is the student's to say."""
# %% {"nbgrader": {"grade": true, "solution": true, "grade_id": "sgd_tests", "points": 1000, "checksum": "x"}}
def sgd(w, dw, config=None):
    return w + 1.0, config
# %% {"nbgrader": {"grade": true, "solution": false, "grade_id": "sgd_momentum_tests", "points": 1000}}
def sgd_momentum(w, dw, config=None):
    raise AssertionError("this cell is dropped: it calls itself a test cell")
