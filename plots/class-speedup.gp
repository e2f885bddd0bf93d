# class-speedup.gp - a class's speedups against workers: threads with the lock
# released, over each student's own serial run, one line per student and machine
# (median; its colour the machine's PUs, its dash whether the machine was quiet), and
# the ideal speedup W beside them.  Log scales: 2 to 64 PUs side by side.
width = 1100
height = 680
figure = "class-speedup"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"
load dirof(script)."class-common.gp"

set title sprintf("Speedup against workers, a line per machine (threads, lock none)\n{/*0.85 %s; %s}", title, quiet_words)
set xlabel "workers W"
set ylabel "speedup over the student's own serial run"
set logscale xy 2
stats data using 1 nooutput
xmax = STATS_max * 1.3
stats data using 2 nooutput
set xrange [0.8 : xmax]
set yrange [0.5 : STATS_max * 1.5]
plot x with lines dt 3 lw 1.5 lc rgb "#333333" title "ideal: W", \
     for [i = 1:n] data index (i - 1) using 1:2 with linespoints pt 7 ps 0.6 lw 1.5 \
         dt quiet_dash(quiet[i]) lc palette cb pus[i] title names[i]
