# amdahl.gp - Amdahl's law made visible: the measured speedup against workers for
# each serial fraction F (points: median, bars: min to max), and Amdahl's prediction
# 1 / (F + (1 - F) / min(W, PUs)) beside it as a dashed line of the same colour.
width = 900
height = 600
figure = "amdahl"
args = ARGC; script = ARG0; runs = ARG1; jobs = ARG2; output = ARG3; format = ARG4
load sprintf("%s/common.gp", system("dirname '".script."'"))

pus = int(system(report." --value pus"))
fractions = system(report." --value fractions")
blocks = system(report." --value blocks-amdahl")
amdahl(F, w) = 1.0 / (F + (1.0 - F) / (w < pus ? w : pus))
title = system(report." --value title-amdahl") # the sizes of its runs, not the notebook's
set title sprintf("Amdahl's law: speedup with a serial fraction F of every job\n{/*0.85 %s}", title)
set xlabel "workers W"
set ylabel "speedup over serial jobs of the same n (median; bars: min to max)"
set xtics 1
set autoscale xfix
set offsets 0.5, 0.5, 0.3, 0
set xrange [1:*]
set yrange [0:*]
set key top left reverse Left
set arrow from pus, graph 0 to pus, graph 1 nohead dt 2 lc rgb "#888888"
set label sprintf("%d PUs", pus) at pus, graph 0.97 offset 0.6, 0 tc rgb "#555555"
set samples 400
colours = "#4c72b0 #55a868 #dd8452 #8172b2 #c44e52 #937860 #da8bc3 #8c8c8c"
colour(i) = word(colours, (i - 1) % 8 + 1)
plot for [i = 1:words(fractions)] (word(blocks, i) eq "1" ? amdahl(real(word(fractions, i)), x) : 1/0) \
         with lines dt 2 lw 1.5 lc rgb colour(i) notitle, \
     for [i = 1:words(fractions)] data index (i - 1) using 1:2:3:4 \
         with yerrorbars pt 7 ps 1.2 lc rgb colour(i) title sprintf("F = %s", word(fractions, i))
eval finish
