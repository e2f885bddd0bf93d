# amdahl.gp - Amdahl's law made visible: the measured speedup against workers for
# each serial fraction F (points: median, bars: min to max), and Amdahl's prediction
# 1 / (F + (1 - F) / min(W, cores)) beside it as a dashed line of the same colour,
# the cores and PUs marked as in the speedup figure (cores.gp; PUs where the runs do
# not say).
width = 900
height = 600
figure = "amdahl"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

set title sprintf("Amdahl's law: speedup with a serial fraction F of every job\n{/*0.85 %s}", title)
set xlabel "workers W"
set ylabel "speedup over serial jobs of the same n (median; bars: min to max)"
set offsets 0, 0, 0.3, 0
set yrange [0:*]
set key top left reverse Left
set samples 400
# From W = 1, half a worker of margin, whatever W were run (one alone included).
stats data using 1 nooutput
xmax = STATS_max + 0.5
set xrange [0.5 : xmax]
if (STATS_max <= 32) { set xtics 1 }
load dirof(script)."cores.gp"
amdahl(F, w) = 1.0 / (F + (1.0 - F) / (w < ideal_w ? w : ideal_w))
palette = "#4c72b0 #55a868 #dd8452 #8172b2 #c44e52 #937860 #da8bc3 #8c8c8c"
colour(i) = word(palette, (i - 1) % 8 + 1)
plot for [i = 1:n] amdahl(fractions[i], x) with lines dt 2 lw 1.5 lc rgb colour(i) notitle, \
     for [i = 1:n] data index (i - 1) using 1:2:3:4 \
         with yerrorbars pt 7 ps 1.2 lc rgb colour(i) title sprintf("F = %g", fractions[i])
