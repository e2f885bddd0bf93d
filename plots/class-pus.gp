# class-pus.gp - a class's speedups at W = PUs against the machines' PUs: a point per
# student and machine for each way of running (bars: min to max over the counted
# runs; filled when the machine was quiet, open when not, a cross when the runs cannot
# tell), and the ideal speedup, the PUs.  Log scales.
width = 900
height = 600
figure = "class-pus"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

set title sprintf("Speedup at W = PUs against PUs\n{/*0.85 %s; filled: quiet, open: not quiet, cross: cannot tell}", title)
set xlabel "PUs of the machine"
set ylabel "speedup at W = PUs over the student's own serial run"
set logscale xy 2
set xrange [least_pus / 1.4 : most_pus * 1.4]
set yrange [0.5 : *]
set key top left reverse Left
palette = "#4c72b0 #dd8452 #55a868 #8172b2"
colour(i) = word(palette, (i - 1) % 4 + 1)
point(q) = q > 0 ? 7 : q == 0 ? 6 : 2
# each way of running a little apart, so that points of one machine do not hide
shift(i) = 2 ** ((i - 1.5) * 0.06)
# the key's entries apart from the points, whose style varies
plot x with lines dt 3 lw 1.5 lc rgb "#333333" title "ideal: the PUs", \
     for [i = 1:n] NaN with points pt 7 ps 1.2 lc rgb colour(i) title names[i], \
     for [i = 1:n] data index (i - 1) using ($1 * shift(i)):2:3:4 with yerrorbars \
         pt 0 lc rgb colour(i) notitle, \
     for [i = 1:n] data index (i - 1) using ($1 * shift(i)):2:(point($5)) with points \
         pt variable ps 1.2 lc rgb colour(i) notitle
