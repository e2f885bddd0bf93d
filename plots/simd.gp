# simd.gp - the parallelism inside each core: speedup over the scalar serial run against
# workers, for scalar threads, the simd kernel on one worker (drawn at every W, flat: it
# is one worker), and simd threads (median, with the range over the counted runs); and,
# dotted, what multiplying the two predicts: simd serial's speedup x min(W, PUs).
width = 900
height = 560
figure = "simd"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

set title sprintf("Vectorising, then threads: speedup over the scalar serial run\n{/*0.85 %s}", title)
set xlabel "workers W"
set ylabel "speedup over scalar serial (median; bars: min to max)"
set yrange [0:*]
set offsets 0, 0, 0.3, 0
set key top left reverse Left
stats data using 1 nooutput
xmax = STATS_max + 0.5
set xrange [0.5 : xmax]
if (STATS_max <= 32) { set xtics 1 }
plot for [i = 1:n] data index (i - 1) using 1:2:3:4 with yerrorlines pt 7 ps 1.2 lw 2 \
         lc rgb colours[i] title names[i], \
     for [i = 1:product] data index n using 1:2 with linespoints dt 3 lw 1.5 pt 6 \
         lc rgb "#333333" title sprintf("simd serial x min(W, %d PUs): they multiply", pus)
