# timeline.gp - one run of each way of running as a Gantt chart, a panel each, a lane
# per worker: for each job a light bar from its start to its end, labelled with its
# number while they fit, and inside it a darker bar as long as the CPU time it got;
# time spent waiting for the lock drawn apart, hatched.  With more workers than PUs,
# jobs are in progress longer than they compute: the light bar is longer than the
# dark one.  A panel with slices[i] = 1 shows a run with GIL-style switching: the
# slices in which each job held the lock, interleaved across the workers.  A panel
# with lane_from[i] > 0 (an MPI run) names its lanes from lane_names[lane_from[i]] on,
# by host and rank ("vm r1", "vm r0 t1" with threads in ranks); the others number them.
width = 1000
height_per_block = 245
figure = "timeline"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

stats data using 3 nooutput
tmax = STATS_max > 0 ? STATS_max : 1
set multiplot layout n, 1 title sprintf("Where the time went: one run of each, %d workers\n{/*0.85 %s}", workers, title)
set xrange [0:tmax * 1.02]
set ylabel "worker"
set grid noytics xtics lc rgb "#dddddd"
set key at screen 0.99, screen 0.995 right top vertical Left reverse samplen 2 font ",9"
# Named lanes take a wider margin; every panel takes it, so that their time axes align.
if (lane_chars > 3) { set lmargin lane_chars + 7 }
do for [i = 1:n] {
    set title names[i]
    set yrange [-0.6:lanes[i] - 0.4]
    if (lanes[i] <= 32) { set ytics 1 format "% h" } else { set ytics autofreq format "% h" }
    if (lane_from[i] > 0) {
        set ytics 1 format ""
        do for [k = 0:lanes[i] - 1] { set ytics add (lane_names[lane_from[i] + k] k) }
    }
    if (i > 1) { unset key }
    if (i == n) { set xlabel "seconds since the run started" }
    c = colours[i]
    if (slices[i]) {
        # the slices carry no job numbers: they are too thin for them
        plot data index (i - 1) using (($2 + $3) / 2):1:2:3:($1 - 0.36):($1 + 0.36) \
                 with boxxyerror fs solid 0.9 border rgb "white" lc rgb c notitle
    } else {
        plot data index (i - 1) using (($4 + $2) / 2):1:4:2:($1 - 0.13):($1 + 0.13) \
                 with boxxyerror fs pattern 2 border lc rgb c_wait lc rgb c_wait title "waiting for the lock", \
             data index (i - 1) using (($2 + $3) / 2):1:2:3:($1 - 0.36):($1 + 0.36) \
                 with boxxyerror fs solid 0.35 border rgb "white" lc rgb c title "in progress (start to end)", \
             data index (i - 1) using ($2 + $6 / 2):1:2:($2 + $6):($1 - 0.2):($1 + 0.2) \
                 with boxxyerror fs solid 0.9 noborder lc rgb c title "CPU time it got", \
             data index (i - 1) using (($2 + $3) / 2):($1 + 0.27):(labelled[i] ? sprintf("%d", $5) : "") \
                 with labels font ",8" notitle
    }
}
unset multiplot
