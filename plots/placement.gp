# placement.gp - for each way of running (a row) and each --pin policy (a column),
# the PU each job ran on: a filled dot where its kernel started, a ring where it
# ended, one colour per worker.
width = 1000
height = 660
figure = "placement"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

# The PUs the jobs ran on: whatever their numbers (taskset, cpusets), all in view.
stats data using 2:3 nooutput
low = STATS_min_x < STATS_min_y ? STATS_min_x : STATS_min_y
high = STATS_max_x > STATS_max_y ? STATS_max_x : STATS_max_y
set multiplot layout rows, columns title sprintf("Where each job ran, %d workers, by --pin policy\n{/*0.85 %s}", workers, title)
set yrange [low - 0.5:high + 0.5]
if (high - low <= 32) { set ytics 1 }
set autoscale xfix
set offsets 0.7, 0.7, 0, 0
set xtics nomirror
stats data using 1 nooutput
if (STATS_max <= 32) { set xtics 1 }
set bmargin 5
set label 1 "filled dot: the PU where a job's kernel started; ring: where it ended; a colour per worker" \
    at screen 0.5, screen 0.012 center font ",9"
do for [i = 1:n] {
    set title names[i]
    set xlabel ((i - 1) / columns == rows - 1 ? "job" : "")
    set ylabel ((i - 1) % columns == 0 ? "PU" : "")
    if (has[i]) {
        plot data index (i - 1) using 1:2:($4 + 1) with points pt 7 ps 1.4 lc variable notitle, \
             data index (i - 1) using 1:3:($4 + 1) with points pt 6 ps 2.2 lc variable notitle
    } else {
        set label 9 "no such run" at graph 0.5, graph 0.5 center
        plot 1e9 notitle
        unset label 9
    }
}
unset multiplot
