# cores.gp - marks the cores and the PUs on a figure whose x axis is workers (speedup,
# amdahl), loaded once `xmax`, the right end of the x range, is set.  A dashed line at
# the PU count; where the runs say SMT makes the cores fewer (`smt` is not empty), one
# at the core count too, and the workers between them shaded and labelled with `smt`
# ("SMT: 2 PUs per core"): there, workers share a core's units.  Sets `ideal_w`, the
# most workers that compute at once: the cores, or the PUs where the runs do not say.
ideal_w = smt ne "" ? cores : pus
ideal_name = smt ne "" ? "cores" : "PUs"
set arrow 1 from pus, graph 0 to pus, graph 1 nohead dt 2 lc rgb "#888888"
set label 1 sprintf("%d PUs", pus) at pus, graph 0.97 offset 0.6, 0 tc rgb "#555555"
if (smt ne "") {
    set arrow 2 from cores, graph 0 to cores, graph 1 nohead dt 2 lc rgb "#888888"
    set label 2 sprintf("%d cores", cores) at cores, graph 0.92 offset 0.6, 0 tc rgb "#555555"
    smt_right = pus < xmax ? pus : xmax
    if (cores < smt_right) {
        set object 1 rect from cores, graph 0 to smt_right, graph 1 behind \
            fc rgb "#eeeeee" fs solid 1.0 noborder
        set label 3 smt at (cores + smt_right) / 2.0, graph 0.04 center tc rgb "#555555"
    } else {
        # no run had more workers than cores: the region is out of view, named anyway
        set label 3 sprintf("%s (W > %d, not run)", smt, cores) at graph 0.98, graph 0.04 \
            right tc rgb "#555555"
    }
}
