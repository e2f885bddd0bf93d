# placement.gp - for each --pin policy, the PU each job ran on: a filled dot where
# its kernel started, a ring where it ended, one colour per worker.
width = 1000
height = 640
args = ARGC; script = ARG0; runs = ARG1; jobs = ARG2; output = ARG3; format = ARG4
load sprintf("%s/common.gp", system("dirname '".script."'"))

data = "< ".report." --data placement"
pus = int(system(report." --value pus"))
workers = int(system(report." --value pin-workers"))
array policies[3] = ["none", "close", "spread"]
array modes[2] = ["threads", "procs"]
set multiplot layout 2, 3 title sprintf("Where each job ran, %d workers, by --pin policy\n{/*0.85 %s}", workers, title)
set yrange [-0.5:pus - 0.5]
set ytics 1
set autoscale xfix
set offsets 0.7, 0.7, 0, 0
set xtics 1 nomirror
unset key
set label 1 "filled dot: the PU where a job's kernel started; ring: where it ended; one colour per worker" \
    at screen 0.5, screen 0.015 center font ",9"
set bmargin 4
do for [m = 0:1] {
    do for [p = 0:2] {
        set title sprintf("%s, --pin %s", modes[m + 1], policies[p + 1])
        set xlabel (m == 1 ? "job" : "")
        set ylabel (p == 0 ? "PU" : "")
        plot data index (2 * p + m) using 1:2:($4 + 1) with points pt 7 ps 1.4 lc variable title "start", \
             data index (2 * p + m) using 1:3:($4 + 1) with points pt 6 ps 2.2 lc variable title "end"
    }
}
unset multiplot
