# speedup.gp - speedup over serial against workers, one line per way of running in
# the results (median with the range over the counted runs), the ideal min(W, cores),
# and marks at the machine's core and PU counts, the SMT threads between them shaded
# (cores.gp; without SMT, or where the runs do not say, the ideal is min(W, PUs)).
width = 900
height = 560
figure = "speedup"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

set title sprintf("Speedup over serial against workers\n{/*0.85 %s}", title)
set xlabel "workers W"
set ylabel "speedup (median; bars: min to max)"
set yrange [0:*]
set offsets 0, 0, 0.3, 0
set key top left reverse Left
set samples 500
# One tic per worker count while they fit; gnuplot chooses beyond.
# From W = 1, half a worker of margin, whatever W were run (one alone included).
stats data using 1 nooutput
xmax = STATS_max + 0.5
set xrange [0.5 : xmax]
if (STATS_max <= 32) { set xtics 1 }
load dirof(script)."cores.gp"
ideal(w) = w < ideal_w ? w : ideal_w
plot ideal(x) with lines dt 3 lw 1.5 lc rgb "#333333" \
         title sprintf("ideal: min(W, %s)", ideal_name), \
     for [i = 1:n] data index (i - 1) using 1:2:3:4 with yerrorlines pt 7 ps 1.2 lw 2 \
         lc rgb colours[i] title names[i]
