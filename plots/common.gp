# common.gp - what every figure shares.  A figure script, called as
#
#   gnuplot -c plots/FIGURE.gp DATA_DIR OUTPUT png|svg
#
# where DATA_DIR holds what `parlab-report --figure-data DATA_DIR` wrote, sets `width`,
# `height` and `figure`, copies its arguments into `args`, `script`, `dir`, `output`
# and `format` (a loaded file does not see them), and loads this file.  It loads
# DATA_DIR/FIGURE.gp, the settings parlab-report wrote for the figure (`title`, `pus`,
# `cores`, `smt`, the number of blocks `n`, arrays `names` and `colours`, and what else
# the figure needs: docs/figures.md lists them), and names the data file `data`.
if (args < 3) {
    print "usage: gnuplot -c ".script." DATA_DIR OUTPUT png|svg"
    exit status 2
}
settings = dir."/".figure.".gp"
data = dir."/".figure.".dat"
# s quoted for the shell, whatever it holds: each ' becomes '\''
shq(s) = strstrt(s, "'") == 0 ? s : s[1:strstrt(s, "'") - 1]."'\\''".shq(s[strstrt(s, "'") + 1:])
if (system("test -r '".shq(settings)."' && echo yes") ne "yes") {
    print "cannot read ".settings.": write it with parlab-report --figure-data ".dir
    exit status 1
}
load settings
# A figure of panels, one per block, grows with them.
if (exists("height_per_block")) { height = 80 + height_per_block * n }

if (format eq "svg") {
    set terminal svg size width, height dynamic enhanced font "sans,11" background rgb "white"
} else {
    if (format ne "png") {
        print "the format must be png or svg, not ".format
        exit status 2
    }
    set terminal pngcairo size width, height enhanced font "sans,10" background rgb "white"
}
set output output

# Colours that are not a way of running's.
c_wall = "#555555"
c_self = "#4c72b0"
c_children = "#55a868"
c_wait = "#dd8452"
set grid ytics lc rgb "#dddddd"
set border 3
set xtics nomirror
set ytics nomirror
