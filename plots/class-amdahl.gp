# class-amdahl.gp - a class's lock-fraction runs against Amdahl's law: for every
# student and machine, each run with a serial fraction F (-l fraction:F) at each W as
# a point, its measured speedup against Amdahl's prediction 1 / (F + (1 - F) / min(W,
# cores)) (PUs where the runs do not say cores); on the diagonal the two agree.
# Colour: the machine's PUs; filled when it was quiet, open when not.
width = 1100
height = 680
figure = "class-amdahl"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"
load dirof(script)."class-common.gp"

set title sprintf("Measured speedup against Amdahl's prediction, every machine\n{/*0.85 %s; filled: quiet, open: not quiet, cross: cannot tell}", title)
set xlabel "Amdahl's prediction 1 / (F + (1 - F) / min(W, cores))"
set ylabel "measured speedup (median; bars: min to max)"
stats data using 1 nooutput
top = STATS_max * 1.15
set xrange [0 : top]
set yrange [0 : *]
plot x with lines dt 3 lw 1.5 lc rgb "#333333" title "measured = predicted", \
     for [i = 1:n] data index (i - 1) using 1:2:3:4 with yerrorbars pt 0 \
         lc palette cb pus[i] notitle, \
     for [i = 1:n] data index (i - 1) using 1:2 with points \
         pt (quiet[i] > 0 ? 7 : quiet[i] == 0 ? 6 : 2) ps 1.0 lc palette cb pus[i] title names[i]
