# wall-vs-cpu.gp - the notebook's question as a picture: for each of its cases the
# wall time beside the CPU time, the process's own CPU time stacked under its
# children's, so that the processes' "tiny CPU time" is visible at a glance.  Rows
# with own_clocks[row] = 1 (MPI ranks, none a child of another) draw their CPU time as
# every rank's own, summed, in a colour of its own.
# (gnuplot 5.4 crashes on a labels plot whose points are all undefined: labels are
# therefore placed everywhere, and left empty where there is nothing to say.)
width = 900
height = 560
figure = "wall-vs-cpu"
args = ARGC; script = ARG0; dir = ARG1; output = ARG2; format = ARG3
# common.gp beside this script (its directory: what comes before the last '/')
dirof(s) = strstrt(s, "/") == 0 ? "" : s[1:strstrt(s, "/")].dirof(s[strstrt(s, "/") + 1:])
load dirof(script)."common.gp"

set title sprintf("Wall time and CPU time, %d workers\n{/*0.85 %s}", workers, title)
set ylabel "seconds (median of the counted runs)"
set yrange [0:*]
set offsets 0.5, 0.5, 0, 0
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.34
set key outside bottom center horizontal maxcols 3
set bmargin 5
c_ranks = "#b07aa1"
own(row) = own_clocks[int(row) + 1]
plot data using ($0 - 0.18):2:xtic(1) with boxes lc rgb c_wall title "wall time", \
     data using ($0 + 0.18):(own($0) ? NaN : $3) with boxes lc rgb c_self title "CPU time, the process itself", \
     data using ($0 + 0.18):(own($0) ? NaN : $3 + $4) with boxes lc rgb c_children title "CPU time, its children", \
     data using ($0 + 0.18):(own($0) ? NaN : $3) with boxes lc rgb c_self notitle, \
     data using ($0 + 0.18):(own($0) ? $3 + $4 : NaN) with boxes lc rgb c_ranks \
         title (summed > 0 ? "CPU time, every rank's own, summed" : ""), \
     data using ($0 - 0.18):2:(sprintf("%.2f", $2)) with labels offset 0, 0.8 notitle, \
     data using ($0 + 0.18):($3 + $4):(sprintf("%.2f", $3 + $4)) with labels offset 0, 0.8 notitle, \
     data using ($0 + 0.18):(($3 + $4) / 2):($4 > 20 * $3 ? sprintf("parent\n%.3f s", $3) : "") \
         with labels tc rgb "white" font ",8" notitle
