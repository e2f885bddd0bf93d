# granularity.gp - when parallel pays: speedup over serial against the duration of one
# job (the serial run's median wall time over its jobs), at W = PUs, one line per way
# of running (median, with the range over the counted runs); beside each, dashed in
# its colour, the speedup its per-job overhead o predicts, W t / (t + o) (parlab-overhead's
# queue row for it at W, where overhead.csv has one); the ideal min(W, PUs) and 90% of it.
width = 1150
height = 600
figure = "granularity"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

set title sprintf("When parallel pays: speedup against job size\n{/*0.85 %s}", title)
set xlabel "duration of one job (the serial run's median wall time / jobs)"
set ylabel "speedup over serial (median; bars: min to max)"
set logscale x 10
set format x "%.0s %cs"
set yrange [0:*]
set offsets 0, 0, 0.3, 0
set key outside right top reverse Left title "dashed: predicted, W t / (t + o)"
set samples 400
# A margin of a factor of two either side; the data's job_us are microseconds.
stats data using 1 nooutput
set xrange [STATS_min / 2 * 1e-6 : STATS_max * 2 * 1e-6]
# W t / (t + o), t and o in seconds: NaN where the line has no overhead row.
predicted(t, i) = overhead_us[i] < 0 ? NaN : workers[i] * t / (t + overhead_us[i] * 1e-6)
plot ideal with lines dt 3 lw 1.5 lc rgb "#333333" title sprintf("ideal: min(W, PUs) = %d", ideal), \
     0.9 * ideal with lines dt 4 lw 1 lc rgb "#888888" title "90% of the ideal", \
     for [i = 1:n] data index (i - 1) using ($1 * 1e-6):2:3:4 with yerrorlines pt 7 ps 1.2 lw 2 \
         lc rgb colours[i] title names[i], \
     for [i = 1:n] predicted(x, i) with lines dt 2 lw 1.5 lc rgb colours[i] \
         title (overhead_us[i] < 0 ? "" : sprintf("%s predicted, o = %.3g us", names[i], overhead_us[i]))
