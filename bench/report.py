"""The benchmark's report, rendered from its JSON document (bin/benchmark --json): the text table
that bin/benchmark prints, and the SVG chart. docs/generate.py renders docs/benchmark.md's tables and
docs/benchmark.svg with the same functions from the JSON files under docs/results/, so that the
published numbers are exactly those of a run.

    python3 bench/report.py RUN.json [--svg PATH]
"""
import argparse
import contextlib
import io
import json
import math

IMPL_TITLES = {"fmmap": "fmmap (GraalPy)", "builtin": "GraalPy built-in", "stdlib": "CPython 3.12",
               "ceiling": "ceiling (memchr)"}
IMPL_COLORS = {"fmmap": "#1f77b4", "builtin": "#ff7f0e", "stdlib": "#2ca02c", "ceiling": "#7f7f7f"}


def fmt(v):
    if v is None:
        return "n/a"
    if v == 0:
        return "0"
    if abs(v) >= 999.5:
        return "%.0f" % v
    return "%.3g" % v


def value(row, impl):
    rec = row["results"].get(impl)
    if rec is None or "error" in rec:
        return None
    return rec["value"]


def cell(row, impl, runs):
    rec = row["results"].get(impl)
    if rec is None:
        return "" if impl == "ceiling" else "-"
    if "error" in rec:
        return "n/a"
    mark = ""
    if rec.get("ok") is False:
        mark += "!"
    if rec["runs"] < runs:
        mark += "*"
    return fmt(rec["value"]) + mark


def fmmap_facts(rows):
    """fmmap's search kernels (as the last fmmap row that searched reports them, after the kernel
    choice) and its search threads on the one-core rows and on find_par (None: no such API)."""
    kernels, single, par = None, None, None
    for row in rows:
        rec = row["results"].get("fmmap") or {}
        if rec.get("kernels") and (row["op"].startswith("find") or row["op"].startswith("rfind")):
            kernels = rec["kernels"]
        if "search_threads" in rec:
            if row["op"] == "find_par":
                par = rec["search_threads"]
            elif single is None:
                single = rec["search_threads"]
    return kernels, single, par


PROCESS_TEXT = {"row": "a fresh process per row", "map": "a fresh process per map (rows in table order)",
                "impl": "one process per implementation"}


def print_machine(machine):
    print("machine : %s, %s cores, %s GiB RAM, Linux %s" % (
        machine.get("cpu"), machine.get("cores"), machine.get("ram_gib", "?"), machine.get("kernel")))


def print_header(machine, infos, args, rows):
    print_machine(machine)
    graal = infos.get("fmmap") or infos.get("builtin")
    if graal:
        print("GraalPy : %s (Python %s), JDK %s%s" % (
            graal.get("implementation_version"), graal.get("python"), graal.get("jdk", "?"),
            ", Truffle runtime: %s" % graal["truffle_runtime"] if graal.get("truffle_runtime") else ""))
    cp = infos.get("stdlib")
    if cp:
        print("CPython : %s (%s)" % (cp.get("python"), cp.get("executable")))
    kernels, single, par = fmmap_facts(rows)
    if kernels or single or par:
        threads = ("search threads: 1 per find/rfind row, %s for find_par" % par if single or par
                   else "no search-thread API (every find on the normal path)")
        print("fmmap   : search kernels: %s; %s" % (kernels or "?", threads))
    print("method  : %s; median of %d timed runs after the first runs (<= 10), >= %d warm-up runs, >= %g s"
          " of warm-up and 3 runs in a row within 1.25x of the best (<= %g s in all); %s, budget %g s"
          " per operation" % ("--full" if args.full else "default (quick; --full for the long run)",
                              args.runs, args.warmup, args.warmup_seconds, args.warmup_max,
                              PROCESS_TEXT[args.processes], args.budget))


# Short column titles: the table is wide already; the legend under it spells them out.
COLUMN_TITLES = {"fmmap": "fmmap", "builtin": "built-in", "stdlib": "CPython", "ceiling": "ceiling"}
COLD_IMPLS = ("fmmap", "stdlib")  # the implementations whose cold values the table shows


def cold_cell(row, impl):
    """The first run's value and the median of the first runs (up to 10), as "first / median"."""
    rec = row["results"].get(impl)
    if rec is None or "error" in rec or "first" not in rec:
        return "-"
    return "%s / %s%s" % (fmt(rec["first"]), fmt(rec["first10"]), "" if rec.get("fresh_process", True) else "°")


def print_table(rows, args):
    impls = list(args.impls)
    head = ["operation", "unit"] + [COLUMN_TITLES[i] for i in impls]
    show_ratio = "fmmap" in impls and "stdlib" in impls
    show_ceiling = "fmmap" in impls and "ceiling" in impls
    cold = [i for i in COLD_IMPLS if i in impls]
    if show_ratio:
        head.append("fmmap/CPython")
    if show_ceiling:
        head.append("fmmap/ceiling")
    head += ["%s first / 10" % COLUMN_TITLES[i] for i in cold]
    table = []
    for row in rows:
        line = [row["label"], row["unit"]] + [cell(row, i, args.runs) for i in impls]
        if show_ratio:
            line.append("%.2fx" % row["ratio_fmmap_cpython"] if row["ratio_fmmap_cpython"] is not None else "-")
        if show_ceiling:
            line.append("%.2fx" % row["ratio_fmmap_ceiling"] if row["ratio_fmmap_ceiling"] is not None else "")
        line += [cold_cell(row, i) for i in cold]
        table.append(line)
    widths = [max(len(r[c]) for r in [head] + table) for c in range(len(head))]
    def out(r):
        parts = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        parts += [r[c].rjust(widths[c]) for c in range(2, len(r))]
        print("  ".join(parts).rstrip())
    out(head)
    print("  ".join("-" * w for w in widths))
    for r in table:
        out(r)
    print()
    print("columns: %s" % "; ".join("%s = %s" % (COLUMN_TITLES[i], IMPL_TITLES[i]) for i in impls))
    if "ceiling" in impls:
        print("         ceiling = libc memchr (rfind rows: memrchr) over the same map, on CPython via ctypes;"
              " the same value for every needle length")
    if cold:
        print("         first / 10 = the row's first run / the median of its first 10 runs, before its warm-up")
        if any(not rec.get("fresh_process", True) for row in rows for rec in row["results"].values()):
            print("         °: in a process that had run the rows above on the same map (a fresh process"
                  " per row: --processes row, as in --full)")
    print("         higher is better in every column")
    notes = []
    reasons = {}
    for row in rows:
        for impl, rec in row["results"].items():
            if "error" in rec:
                reasons.setdefault((impl, rec["error"]), []).append(row["op"])
        notes.extend("%s: %s" % (row["label"], n) for n in row["notes"])
    if reasons or notes:
        print()
    for (impl, reason), ops in sorted(reasons.items()):
        print("n/a  %s, %s: %s" % (IMPL_TITLES[impl], ", ".join(ops), reason))
    if any(rec.get("runs", args.runs) < args.runs for row in rows for rec in row["results"].values()):
        print("*    fewer timed runs than --runs (the operation used up its time budget)")
    if any(rec.get("ok") is False for row in rows for rec in row["results"].values()):
        print("!    wrong result (see below)")
    for n in notes:
        print("note " + n)


def print_times(processes, args):
    """Where the wall time went, per implementation: processes, their start-up, the rest."""
    print()
    for impl in args.impls:
        procs = processes.get(impl) or []
        if not procs:
            continue
        wall = sum(p["wall"] for p in procs)
        starts = [p["startup"] for p in procs if p["startup"] is not None]
        print("time %-8s %2d process%s, %5.0f s wall (start-up %.1f s on average), %5.0f s CPU"
              % (COLUMN_TITLES[impl], len(procs), "" if len(procs) == 1 else "es", wall,
                 sum(starts) / len(starts) if starts else 0, sum(p["cpu"] for p in procs)))


# --- the small-operations part (bench/small_ops.py) -----------------------------------------------

SMALL_TITLES = {"fmmap": "fmmap on bin/graalpy", "builtin": "the built-in mmap on bin/graalpy",
                "stdlib": "CPython 3.12's mmap", "fmmap-25.2.4": "fmmap on bin/graalpy-25.2.4",
                "builtin-25.2.4": "the built-in mmap on bin/graalpy-25.2.4",
                "fmmap-strict": "fmmap in strict guard mode on bin/graalpy"}
SMALL_SHORT = {"fmmap": "fmmap", "builtin": "built-in", "stdlib": "CPython", "fmmap-25.2.4": "fmmap",
               "builtin-25.2.4": "built-in", "fmmap-strict": "fmmap strict"}
# One table per GraalPy: its fmmap, its built-in and CPython, then fmmap against the other two.
SMALL_TABLES = (("bin/graalpy", "fmmap", "builtin"), ("bin/graalpy-25.2.4", "fmmap-25.2.4", "builtin-25.2.4"),
                ("bin/graalpy, FMMAP_GUARD=strict", "fmmap-strict", "builtin"))
SMALL_KINDS = ("first", "settled")


def small_ratio(row, a, b, kind):
    """a's rate over b's in a small-operations row ("first" or "settled"), or None."""
    ra, rb = row["results"].get(a) or {}, row["results"].get(b) or {}
    if ra.get(kind) is None or not rb.get(kind):
        return None
    return ra[kind] / rb[kind]


def small_part(settings, infos, results, errors, processes):
    """The small-operations part of a run's JSON document, from bench/small_ops.py's RESULT lines
    (results: {column: {op: RESULT}}); a column without results has its error in every row."""
    order = []
    for impl in settings["impls"]:
        for op, rec in (results.get(impl) or {}).items():
            if op not in [o for o, _, _ in order]:
                order.append((op, rec.get("label", op), rec.get("unit", "")))
    rows = []
    for op, label, unit in order:
        row = {"op": op, "label": label, "unit": unit, "results": {}}
        for impl in settings["impls"]:
            rec = (results.get(impl) or {}).get(op)
            if rec is not None:
                row["results"][impl] = {"first": rec["first"], "settled": rec["steady"], "rounds": rec["rounds"]}
            elif impl in errors:
                row["results"][impl] = {"error": errors[impl]}
        row["ratios"] = {}
        for _, fm, builtin in SMALL_TABLES:
            for other in (builtin, "stdlib"):
                if fm in row["results"] and other in row["results"]:
                    row["ratios"]["%s/%s" % (fm, other)] = dict(
                        (kind, small_ratio(row, fm, other, kind)) for kind in SMALL_KINDS)
        rows.append(row)
    return {"settings": settings, "columns": dict((i, SMALL_TITLES[i]) for i in settings["impls"]),
            "runtimes": infos, "errors": errors, "processes": processes, "rows": rows}


def ratio_text(r):
    """A ratio as "1.23x", or with two significant digits below 0.1 ("0.0047x")."""
    if r is None:
        return "-"
    return "%.2fx" % r if r >= 0.095 else "%.2gx" % r


def small_cell(row, impl, kind):
    rec = row["results"].get(impl)
    if rec is None:
        return "-"
    if "error" in rec:
        return "n/a"
    return fmt(rec[kind])


def small_tables(impls):
    """The SMALL_TABLES a run has columns for: a table's own fmmap column ran, or its built-in did
    and no earlier table shows that built-in (the strict table shares bin/graalpy's)."""
    shown, builtins = [], set()
    for table in SMALL_TABLES:
        _, fm, builtin = table
        if fm in impls or (builtin in impls and builtin not in builtins):
            shown.append(table)
            builtins.add(builtin)
    return shown


def print_small(small):
    """The small-operations tables: one per GraalPy that has columns in the run."""
    st = small["settings"]
    impls = st["impls"]
    infos = small["runtimes"]
    print("== small operations: bench/small_ops.py, %d rounds of every operation over three %d MiB maps"
          % (st["rounds"], st["size_mb"]))
    for launcher, fm, builtin in small_tables(impls):
        info = infos.get(fm) or infos.get(builtin)
        if info:
            print("%-18s: GraalPy %s (%s)" % (launcher, info.get("implementation_version"), info.get("sys_version")))
    if infos.get("stdlib"):
        print("%-18s: %s (%s)" % ("CPython", infos["stdlib"].get("python"), infos["stdlib"].get("executable")))
    units = sorted(set(row["unit"] for row in small["rows"]))
    print("method            : one fresh process per column, one at a time, each running every operation"
          " once per round, round after round; first = round 1 (what a short program gets), settled = the"
          " median of the last %d rounds; %s, higher is better"
          % (min(st["settled_rounds"], st["rounds"]), units[0] if len(units) == 1 else "see the unit column"))
    tables = small_tables(impls) or [(None, None, None)]
    for launcher, fm, builtin in tables:
        cols = [i for i in (fm, builtin, "stdlib") if i in impls]
        if not cols:
            continue
        ratios = [(fm, other) for other in (builtin, "stdlib") if fm in impls and other in impls]
        groups = [SMALL_SHORT[i] for i in cols] + ["%s/%s" % (SMALL_SHORT[a], SMALL_SHORT[b]) for a, b in ratios]
        line_of = []
        for row in small["rows"]:
            cells = [small_cell(row, i, kind) for i in cols for kind in SMALL_KINDS]
            for a, b in ratios:
                for kind in SMALL_KINDS:
                    r = small_ratio(row, a, b, kind)
                    cells.append(ratio_text(r))
            line_of.append([row["label"]] + ([row["unit"]] if len(units) > 1 else []) + cells)
        lead = ["operation"] + (["unit"] if len(units) > 1 else [])
        sub = lead + [k for _ in groups for k in SMALL_KINDS]
        widths = [max(len(r[c]) for r in [sub] + line_of) for c in range(len(sub))]
        n_lead = len(lead)
        # a group's title spans its two columns
        for g in range(len(groups)):
            a, b = n_lead + 2 * g, n_lead + 2 * g + 1
            need = len(groups[g]) - (widths[a] + 2 + widths[b])
            if need > 0:
                widths[a] += need
        top = ["  ".join(w * " " for w in widths[:n_lead])]
        for g, title in enumerate(groups):
            a = n_lead + 2 * g
            top.append(title.rjust(widths[a] + 2 + widths[a + 1]))
        print()
        if launcher:
            print("GraalPy %s (%s)" % ((infos.get(fm) or infos.get(builtin) or {}).get("implementation_version", "?"),
                                       launcher))
        print("  ".join(top).rstrip())

        def out(r):
            parts = [r[c].ljust(widths[c]) for c in range(n_lead)]
            parts += [r[c].rjust(widths[c]) for c in range(n_lead, len(r))]
            print("  ".join(parts).rstrip())
        out(sub)
        print("  ".join("-" * w for w in widths))
        for r in line_of:
            out(r)
    print()
    print("columns: %s" % "; ".join("%s = %s" % (SMALL_SHORT[i], SMALL_TITLES[i])
                                    for i in ("fmmap", "builtin", "stdlib") if i in impls))
    later = [i for i in ("fmmap-25.2.4", "builtin-25.2.4") if i in impls]
    if later:
        print("         in the GraalPy 25.2.4 table: %s"
              % "; ".join("%s = %s" % (SMALL_SHORT[i], SMALL_TITLES[i]) for i in later))
    print("         a/b = a's rate over b's (above 1: fmmap is faster)")
    for impl, reason in sorted(small["errors"].items()):
        print("n/a  %s: %s" % (SMALL_TITLES[impl], reason))
    print()
    for impl in impls:
        p = small["processes"].get(impl)
        if not p:
            continue
        rounds = p.get("rounds") or []
        print("time %-15s %5.0f s wall (start-up %.1f s, rounds %.1f-%.1f s), %5.0f s CPU"
              % (impl, p["wall"], p["startup"] or 0, min(rounds) if rounds else 0,
                 max(rounds) if rounds else 0, p["cpu"]))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_svg(path, doc):
    with open(path, "w") as f:
        f.write(svg(doc))


def svg(doc):
    """Horizontal grouped bars, one group per operation, each bar the implementation's value
    relative to CPython 3.12's on a log scale (bars grow from the 1x line: right = faster), labelled
    with the absolute value; a dark tick on a bar marks the median of its first runs (the cold value
    of a fresh process). The ceiling (memchr) has bars on the search rows only. A row without a
    CPython value is scaled to its largest value."""
    rows, args, machine, infos = doc["rows"], settings(doc), doc["machine"], doc["runtimes"]
    impls = list(args.impls)
    scaled = []
    for row in rows:
        ref_impl = "stdlib" if value(row, "stdlib") else None
        if ref_impl is None:
            vals = [value(row, i) for i in impls if value(row, i)]
            ref = max(vals) if vals else None
        else:
            ref = value(row, "stdlib")
        scaled.append((row, ref, ref_impl))
    ratios = [value(r, i) / ref for r, ref, _ in scaled if ref for i in impls if value(r, i)]
    lo = min([1.0] + ratios)
    hi = max([1.0] + ratios)
    lo_dec = max(-4, min(-1, int(math.floor(math.log10(lo)))))
    hi_dec = min(4, max(1, int(math.ceil(math.log10(hi)))))

    label_w, chart_w, value_w = 300, 560, 10
    bar_h, gap = 13, 12
    group_h = bar_h * len(impls) + gap
    top = 96
    height = top + group_h * len(rows) + 40
    width = label_w + chart_w + 120 + value_w

    def x_of(ratio):
        r = min(max(ratio, 10.0 ** lo_dec), 10.0 ** hi_dec)
        return label_w + (math.log10(r) - lo_dec) / float(hi_dec - lo_dec) * chart_w

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="Helvetica, Arial, sans-serif" font-size="12">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="22" font-size="16" font-weight="bold">fmmap benchmark: speed relative to '
           'CPython 3.12 mmap (log scale, right = faster)</text>']
    sub = "%s, %s cores" % (machine.get("cpu"), machine.get("cores"))
    graal = infos.get("fmmap") or infos.get("builtin")
    if graal:
        sub += "; GraalPy %s, JDK %s" % (graal.get("implementation_version"), graal.get("jdk", "?"))
    if infos.get("stdlib"):
        sub += "; CPython %s" % infos["stdlib"].get("python")
    sub += "; median of %d runs" % args.runs
    out.append('<text x="10" y="40" fill="#444">%s</text>' % esc(sub))
    lx = 10
    for impl in impls:
        out.append('<rect x="%d" y="52" width="12" height="12" fill="%s"/>' % (lx, IMPL_COLORS[impl]))
        out.append('<text x="%d" y="62">%s</text>' % (lx + 16, esc(IMPL_TITLES[impl])))
        lx += 30 + 7 * len(IMPL_TITLES[impl])
    # Grid: one line per decade, labelled.
    bottom = top + group_h * len(rows)
    for d in range(lo_dec, hi_dec + 1):
        x = x_of(10.0 ** d)
        strong = d == 0
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="%s"/>'
                   % (x, top - 8, x, bottom, "#333" if strong else "#ccc", 1.5 if strong else 1))
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#444">%s</text>'
                   % (x, top - 12, ("%gx" % (10.0 ** d)) if d >= 0 else "1/%dx" % (10 ** -d)))
    x1 = x_of(1.0)
    for n, (row, ref, ref_impl) in enumerate(scaled):
        y0 = top + n * group_h
        if n % 2 == 0:
            out.append('<rect x="0" y="%d" width="%d" height="%d" fill="#f4f4f4"/>'
                       % (y0 - gap // 2, width, group_h))
        label = "%s [%s]" % (row["label"], row["unit"])
        if ref is not None and ref_impl is None:
            label += " *"
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                   % (label_w - 8, y0 + group_h // 2 - 2, esc(label)))
        for k, impl in enumerate(impls):
            y = y0 + k * bar_h
            v = value(row, impl)
            if impl == "ceiling" and impl not in row["results"]:
                continue  # no ceiling outside the search rows: no bar, no mark
            if v is None or ref is None:
                reason = "n/a" if impl in row["results"] else "-"
                out.append('<text x="%.1f" y="%d" fill="#888" font-size="10">%s</text>'
                           % (x1 + 4, y + bar_h - 3, reason))
                continue
            xr = x_of(v / ref) if v > 0 else x_of(10.0 ** lo_dec)
            left, right = min(x1, xr), max(x1, xr)
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %s %s'
                       '</title></rect>' % (left, y + 1, max(right - left, 1.5), bar_h - 2,
                                            IMPL_COLORS[impl], esc(IMPL_TITLES[impl]), fmt(v), esc(row["unit"])))
            out.append('<text x="%.1f" y="%d" font-size="10" fill="#222">%s</text>'
                       % (max(right, x1) + 4, y + bar_h - 3, esc(fmt(v))))
            cold = row["results"][impl].get("first10")
            if cold and impl != "ceiling":
                xc = x_of(cold / ref)
                out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#111" stroke-width="2">'
                           '<title>%s, median of the first runs: %s %s</title></line>'
                           % (xc, y, xc, y + bar_h, esc(IMPL_TITLES[impl]), fmt(cold), esc(row["unit"])))
    out.append('<text x="10" y="%d" fill="#666" font-size="11">Labels are absolute values in the '
               'row\'s unit; dark tick = median of the first 10 runs of a fresh process; * = no CPython '
               'value, scaled to the row\'s best. See docs/benchmark.md.</text>' % (height - 14))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def settings(doc):
    """The run's options, as the attributes bin/benchmark's own arguments have."""
    return argparse.Namespace(**doc["settings"])


def render(doc):
    """The text bin/benchmark prints after a run: header, table, legend and notes, where the time went;
    then the small-operations tables (print_small) when the run has them."""
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        args = settings(doc)
        if doc["rows"]:
            print_header(doc["machine"], doc["runtimes"], args, doc["rows"])
            print()
            print_table(doc["rows"], args)
            print_times(doc["processes"], args)
        else:
            print_machine(doc["machine"])
        if doc.get("small"):
            print()
            print_small(doc["small"])
    return text.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("json", help="a run's JSON document (bin/benchmark --json)")
    parser.add_argument("--svg", metavar="PATH", help="also write the run's chart")
    args = parser.parse_args()
    with open(args.json) as f:
        doc = json.load(f)
    print(render(doc), end="")
    if args.svg:
        write_svg(args.svg, doc)


if __name__ == "__main__":
    main()
