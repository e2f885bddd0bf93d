# timeline.gp - one run of each way of running as a Gantt chart: a lane per worker,
# a bar per job labelled with its number, and the time spent waiting for the lock
# drawn apart from the time spent computing.
width = 1000
height = 820
args = ARGC; script = ARG0; runs = ARG1; jobs = ARG2; output = ARG3; format = ARG4
load sprintf("%s/common.gp", system("dirname '".script."'"))

data = "< ".report." --data timeline"
workers = int(system(report." --value workers"))
array names[3] = ["threads, lock none", "threads, lock held", "procs, lock held"]
tmax = 0
do for [i = 0:2] {
    stats data index i using 3 nooutput
    if (STATS_max > tmax) { tmax = STATS_max }
}
set multiplot layout 3, 1 title sprintf("Where the time went: one run of each, %d workers\n{/*0.85 %s}", workers, title)
set xrange [0:tmax * 1.02]
set yrange [-0.6:workers - 0.4]
set ytics 1
set ylabel "worker"
set grid noytics xtics lc rgb "#dddddd"
set key inside top right horizontal box opaque
do for [i = 0:2] {
    set title names[i + 1]
    if (i > 0) { unset key }
    if (i == 2) { set xlabel "seconds since the run started" }
    plot data index i using (($4 + $2) / 2):1:4:2:($1 - 0.13):($1 + 0.13) \
             with boxxyerror fs pattern 2 border lc rgb c_wait lc rgb c_wait title "waiting for the lock", \
         data index i using (($2 + $3) / 2):1:2:3:($1 - 0.36):($1 + 0.36) \
             with boxxyerror fs solid 0.85 border rgb "white" lc rgb c_none title "computing", \
         data index i using (($2 + $3) / 2):1:(sprintf("%d", $5)) with labels tc rgb "white" notitle
}
unset multiplot
