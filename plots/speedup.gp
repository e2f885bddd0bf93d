# speedup.gp - speedup over serial against workers for the three ways of running,
# median with the range over the counted runs, the ideal min(W, PUs), and a mark at
# the machine's PU count.
width = 900
height = 560
figure = "speedup"
args = ARGC; script = ARG0; runs = ARG1; jobs = ARG2; output = ARG3; format = ARG4
load sprintf("%s/common.gp", system("dirname '".script."'"))

pus = int(system(report." --value pus"))
ideal(w) = w < pus ? w : pus
set title sprintf("Speedup over serial against workers\n{/*0.85 %s}", title)
set xlabel "workers W"
set ylabel "speedup (median; bars: min to max)"
set xtics 1
set autoscale xfix
set yrange [0:*]
set offsets 0.5, 0.5, 0.3, 0
set key top left reverse Left
set arrow from pus, graph 0 to pus, graph 1 nohead dt 2 lc rgb "#888888"
set label sprintf("%d PUs", pus) at pus, graph 0.97 offset 0.6, 0 tc rgb "#555555"
set samples 500
plot ideal(x) with lines dt 3 lw 1.5 lc rgb "#333333" title "ideal: min(W, PUs)", \
     data index 0 using 1:2:3:4 with yerrorlines pt 7 ps 1.2 lw 2 lc rgb c_none title "threads, lock none", \
     data index 1 using 1:2:3:4 with yerrorlines pt 5 ps 1.2 lw 2 lc rgb c_held title "threads, lock held", \
     data index 2 using 1:2:3:4 with yerrorlines pt 9 ps 1.4 lw 2 lc rgb c_procs title "procs, lock held"
eval finish
