"""How docs/SEARCH.md chose CJK bigrams over a dictionary segmenter: recall and speed.

Not part of the portal; run by hand in a throw-away environment with the segmenters:
    python3 -m venv /tmp/jv && /tmp/jv/bin/pip install jieba rjieba
    /tmp/jv/bin/python devtools/bench/chinese_segmenters.py
It reads the listings and queries of tests/technologies/search_languages_data.py.
"""

# ruff: noqa
import sys, time, re
import importlib.util

spec = importlib.util.spec_from_file_location(
    "data",
    str(__import__("pathlib").Path(__file__).resolve().parents[2] / "tests/technologies/search_languages_data.py"),
)
data = importlib.util.module_from_spec(spec)
spec.loader.exec_module(data)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
import jieba, rjieba

jieba.setLogLevel(60)
t0 = time.perf_counter()
jieba.initialize()
jieba_init = time.perf_counter() - t0


def texts_of(l):
    out = [l["title"], l["summary"], l["description"]]
    for k, v in l.items():
        if "_i18n_" in k and v:
            out.append(v)
    return " ".join(out)


docs = {l["slug"]: texts_of(l) for l in data.LISTINGS}


def bigrams(text):
    toks = set()
    for run in HAN.findall(text):
        toks |= {run[i : i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}
    return toks


def seq_bigrams(run):
    return [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]


def seg(cut, text):
    return {w for w in cut(text) if HAN.fullmatch(w)}


methods = {
    "jieba search mode": lambda t: seg(jieba.cut_for_search, t),
    "jieba precise": lambda t: seg(jieba.lcut, t),
    "rjieba search mode": lambda t: (
        seg(rjieba.cut_for_search, t) if hasattr(rjieba, "cut_for_search") else seg(rjieba.cut, t)
    ),
    "CJK bigrams": bigrams,
}
rows = [r for r in data.QUERIES if r.language.startswith("zh")]
for name, f in methods.items():
    doc_tokens = {s: f(t) for s, t in docs.items()}
    found = expected = 0
    for r in rows:
        qt = f(r.query) if name != "CJK bigrams" else {b for run in HAN.findall(r.query) for b in seq_bigrams(run)}
        if not qt:
            continue
        hits = {s for s, toks in doc_tokens.items() if qt <= toks}
        found += len(r.must_return & hits)
        expected += len(r.must_return)
    # speed: all Chinese text repeated
    corpus = [t for t in docs.values()] * 200
    chars = sum(len(t) for t in corpus)
    t0 = time.perf_counter()
    for t in corpus:
        f(t)
    dt = time.perf_counter() - t0
    print(f"{name:20} recall {found}/{expected} = {found / expected:.2f}   {chars / dt / 1e6:.2f} M chars/s")
print(f"jieba dictionary load: {jieba_init:.2f} s")
# Substrings of Chinese titles (2 to 4 characters): a reader types part of a compound.
probes = []
for s, l in ((l["slug"], l) for l in data.LISTINGS):
    titles = [l["title"]] + [v for k, v in l.items() if k.startswith("title_i18n_zh") and v]
    for t in titles:
        for run in HAN.findall(t):
            for n in (2, 3, 4):
                for i in range(len(run) - n + 1):
                    probes.append((run[i : i + n], s))
print(len(probes), "substring probes")
for name, f in methods.items():
    doc_tokens = {s: f(t) for s, t in docs.items()}
    ok = 0
    for q, s in probes:
        qt = f(q) if name != "CJK bigrams" else set(seq_bigrams(q))
        if qt and qt <= doc_tokens[s]:
            ok += 1
    print(f"{name:20} substring recall {ok}/{len(probes)} = {ok / len(probes):.2f}")
