# speedup.gp - speedup over serial against workers, one line per way of running in
# the results (median with the range over the counted runs), the ideal min(W, PUs),
# and a mark at the machine's PU count.
width = 900
height = 560
figure = "speedup"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

ideal(w) = w < pus ? w : pus
set title sprintf("Speedup over serial against workers\n{/*0.85 %s}", title)
set xlabel "workers W"
set ylabel "speedup (median; bars: min to max)"
set yrange [0:*]
set offsets 0, 0, 0.3, 0
set key top left reverse Left
set arrow from pus, graph 0 to pus, graph 1 nohead dt 2 lc rgb "#888888"
set label sprintf("%d PUs", pus) at pus, graph 0.97 offset 0.6, 0 tc rgb "#555555"
set samples 500
# One tic per worker count while they fit; gnuplot chooses beyond.
# From W = 1, half a worker of margin, whatever W were run (one alone included).
stats data using 1 nooutput
set xrange [0.5 : STATS_max + 0.5]
if (STATS_max <= 32) { set xtics 1 }
plot ideal(x) with lines dt 3 lw 1.5 lc rgb "#333333" title "ideal: min(W, PUs)", \
     for [i = 1:n] data index (i - 1) using 1:2:3:4 with yerrorlines pt 7 ps 1.2 lw 2 \
         lc rgb colours[i] title names[i]
