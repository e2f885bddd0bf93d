# timeline.gp - one run of each way of running as a Gantt chart: a lane per worker;
# the fourth panel shows the lock-held threads again with GIL-style switching: the
# slices in which each job held the lock, interleaved across the workers;
# for each job a light bar from its start to its end, labelled with its number, and
# inside it a darker bar as long as the CPU time it got; time spent waiting for the
# lock drawn apart, hatched.  With more workers than PUs, jobs are in progress longer
# than they compute: the light bar is longer than the dark one.
width = 1000
height = 1060
figure = "timeline"
args = ARGC; script = ARG0; runs = ARG1; jobs = ARG2; output = ARG3; format = ARG4
load sprintf("%s/common.gp", system("dirname '".script."'"))

blocks = system(report." --value blocks-timeline")
workers = int(system(report." --value workers"))
# the switching panel's jobs may be shorter than the others': its title says so
array names[4] = ["threads, lock none", "threads, lock held", "procs, lock held", \
                  system(report." --value switching-panel")]
tmax = 0
do for [i = 0:3] {
    if (word(blocks, i + 1) eq "1") {
        stats data index i using 3 nooutput
        if (STATS_max > tmax) { tmax = STATS_max }
    }
}
if (tmax <= 0) { tmax = 1 }
set multiplot layout 4, 1 title sprintf("Where the time went: one run of each, %d workers\n{/*0.85 %s}", workers, title)
set xrange [0:tmax * 1.02]
set yrange [-0.6:workers - 0.4]
set ytics 1
set ylabel "worker"
set grid noytics xtics lc rgb "#dddddd"
set key at screen 0.99, screen 0.995 right top vertical Left reverse samplen 2 font ",9"
do for [i = 0:3] {
    set title names[i + 1]
    if (i > 0) { unset key }
    if (i == 3) { set xlabel "seconds since the run started" }
    has = word(blocks, i + 1) eq "1"
    if (!has) {
        set label 9 "no such run in these results" at graph 0.5, graph 0.5 center
        plot 1e9 notitle
        unset label 9
    }
    # the slices carry no job numbers: they are too thin for them
    if (has && i == 3) {
        plot data index i using (($2 + $3) / 2):1:2:3:($1 - 0.36):($1 + 0.36) \
                 with boxxyerror fs solid 0.9 border rgb "white" lc rgb c_none notitle
    }
    if (has && i < 3) {
        plot data index i using (($4 + $2) / 2):1:4:2:($1 - 0.13):($1 + 0.13) \
                 with boxxyerror fs pattern 2 border lc rgb c_wait lc rgb c_wait title "waiting for the lock", \
             data index i using (($2 + $3) / 2):1:2:3:($1 - 0.36):($1 + 0.36) \
                 with boxxyerror fs solid 0.35 border rgb "white" lc rgb c_none title "in progress (start to end)", \
             data index i using ($2 + $6 / 2):1:2:($2 + $6):($1 - 0.2):($1 + 0.2) \
                 with boxxyerror fs solid 0.9 noborder lc rgb c_none title "CPU time it got", \
             data index i using (($2 + $3) / 2):($1 + 0.27):(sprintf("%d", $5)) with labels font ",8" notitle
    }
}
unset multiplot
eval finish
