# class-common.gp - what the class figures share (class-speedup, class-pus,
# class-amdahl), loaded by each after common.gp: a line or point's colour says its
# machine's PUs (a colour box on a log scale, from the class's fewest to its most
# PUs), its dash or fill whether the machine was quiet.  DATA_DIR/FIGURE.gp, written by
# `parlab-class --figure-data DATA_DIR`, sets `title`, `least_pus`, `most_pus`, `n`,
# `names[n]` and, for the figures with a block per machine, `pus[n]` and `quiet[n]`
# (1 quiet, 0 not quiet, -1 cannot tell).
set palette defined (0 "#4c72b0", 1 "#55a868", 2 "#dd8452", 3 "#c44e52")
set logscale cb 2
cb_low = least_pus
cb_high = most_pus > least_pus ? most_pus : least_pus * 2
set cbrange [cb_low : cb_high]
set cblabel "PUs of the machine"
set cbtics 2 nomirror
# solid: quiet; dashed: not quiet (busy, repetitions that disagree, slowed PUs, battery);
# dotted: the runs cannot tell
quiet_dash(q) = q > 0 ? 1 : q == 0 ? 2 : 3
quiet_words = "solid: quiet; dashed: not quiet; dotted: cannot tell"
# a key for as many machines as fit beside the figure
if (n <= 40) {
    set key outside right top Left reverse font ",8" spacing 0.9 samplen 2
} else {
    set key off
}
