# placement.gp - for each --pin policy, the PU each job ran on: a filled dot where
# its kernel started, a ring where it ended, one colour per worker.
width = 1000
height = 660
figure = "placement"
args = ARGC; script = ARG0; runs = ARG1; jobs = ARG2; output = ARG3; format = ARG4
load sprintf("%s/common.gp", system("dirname '".script."'"))

blocks = system(report." --value blocks-placement")
workers = int(system(report." --value pin-workers"))
array policies[3] = ["none", "close", "spread"]
array modes[2] = ["threads", "procs"]
# The PUs the jobs ran on: whatever their numbers (taskset, cpusets), all in view.
stats data using 2:3 nooutput
low = STATS_min_x < STATS_min_y ? STATS_min_x : STATS_min_y
high = STATS_max_x > STATS_max_y ? STATS_max_x : STATS_max_y
set multiplot layout 2, 3 title sprintf("Where each job ran, %d workers, by --pin policy\n{/*0.85 %s}", workers, title)
set yrange [low - 0.5:high + 0.5]
set ytics 1
set autoscale xfix
set offsets 0.7, 0.7, 0, 0
set xtics 1 nomirror
set bmargin 5
set label 1 "filled dot: the PU where a job's kernel started; ring: where it ended" \
    at screen 0.5, screen 0.012 center font ",9"
do for [m = 0:1] {
    do for [p = 0:2] {
        i = 2 * p + m
        set title sprintf("%s, --pin %s", modes[m + 1], policies[p + 1])
        set xlabel (m == 1 ? "job" : "")
        set ylabel (p == 0 ? "PU" : "")
        if (i == 0) { set key top right horizontal samplen 1 } else { unset key }
        if (word(blocks, i + 1) eq "1") {
            plot for [w = 0:workers - 1] data index i using 1:($4 == w ? $2 : NaN) \
                     with points pt 7 ps 1.4 lc w + 1 title sprintf("worker %d", w), \
                 for [w = 0:workers - 1] data index i using 1:($4 == w ? $3 : NaN) \
                     with points pt 6 ps 2.2 lc w + 1 notitle
        } else {
            set label 9 "no such run" at graph 0.5, graph 0.5 center
            plot 1e9 notitle
            unset label 9
        }
    }
}
unset multiplot
eval finish
