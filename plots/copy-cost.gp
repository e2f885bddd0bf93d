# copy-cost.gp - what crossing a process boundary costs: the time per job against its
# payload for each way the data travelled (threads sharing it, processes with shared
# memory, processes copying through pipes, ...), the kernel's own time as a
# reference, and on the right-hand axis the bandwidth of the copies beside memcpy's.
width = 900
height = 600
figure = "copy-cost"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

set title sprintf("What moving data costs: time per job against its payload\n{/*0.85 %s}", title)
set xlabel "payload: bytes in, and as many out, per job"
set ylabel "seconds per job (median)"
set y2label "GB/s"
set logscale x 2
set logscale y 10
set format x "%.0b %BB"
set xtics 1024, 8 nomirror
set ytics nomirror
set y2tics nomirror
set y2range [0:*]
set key top left reverse Left
set style data linespoints
set samples 100
# A margin of a factor of two either side, so one payload size alone still has an axis.
stats data using 1 nooutput
set xrange [STATS_min / 2 : STATS_max * 2]
# `copied`: the blocks (1-based) whose jobs copied their data, and so have a bandwidth.
# gnuplot evaluates a loop's element once even when `copied` is empty (no run copied:
# threads alone), with b = "": block(b) keeps that evaluation valid.
block(b) = b eq "" ? 1 : int(b)
plot for [i = 1:n] data index (i - 1) using 1:2 pt 7 lw 2 lc rgb colours[i] title names[i], \
     (kernel > 0 ? kernel : NaN) with lines dt 3 lw 1.5 lc rgb "#333333" title "the kernel's own time", \
     for [b in copied] data index (block(b) - 1) using 1:4 axes x1y2 with points pt 6 ps 1.5 \
         lc rgb colours[block(b)] title sprintf("%s: bandwidth (GB/s, right)", names[block(b)]), \
     (memcpy > 0 ? memcpy : NaN) axes x1y2 with lines dt 2 lc rgb "#888888" title sprintf("memcpy here: %.1f GB/s (right)", memcpy)
