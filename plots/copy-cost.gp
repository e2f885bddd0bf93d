# copy-cost.gp - what crossing a process boundary costs: the time per job against its
# payload for threads (the data shared), processes with shared memory and processes
# copying through pipes, the kernel's own time as a reference, and on the right-hand
# axis the bandwidth the pipes reached beside memcpy's.
width = 900
height = 600
figure = "copy-cost"
args = ARGC; script = ARG0; runs = ARG1; jobs = ARG2; output = ARG3; format = ARG4
load sprintf("%s/common.gp", system("dirname '".script."'"))

blocks = system(report." --value blocks-copy-cost")
memcpy = real(system(report." --value memcpy-gbs"))
kernel = real(system(report." --value kernel-s"))
title = system(report." --value title-copy-cost") # the payload jobs' size
array names[3] = ["threads: shared memory", "procs: shared memory (shm)", "procs: through pipes"]
array colours[3] = ["#4c72b0", "#55a868", "#c44e52"]
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
plot for [i = 1:3] data index (i - 1) using 1:(word(blocks, i) eq "1" ? $2 : NaN) \
         pt 7 lw 2 lc rgb colours[i] title names[i], \
     (kernel > 0 ? kernel : NaN) with lines dt 3 lw 1.5 lc rgb "#333333" title "the kernel's own time", \
     data index 2 using 1:4 axes x1y2 with points pt 6 ps 1.5 lc rgb colours[3] title "the pipes' bandwidth (GB/s, right)", \
     (memcpy > 0 ? memcpy : NaN) axes x1y2 with lines dt 2 lc rgb "#888888" title sprintf("memcpy here: %.1f GB/s (right)", memcpy)
eval finish
