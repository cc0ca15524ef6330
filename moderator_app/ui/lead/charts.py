"""Backlog and throughput over the last hours, drawn with QtCharts from the queue series the server sends."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from moderator_app.core.models import TeamQueueStats

MAX_LINES = 6  # more lines than this is a tangle; the queues with the largest backlog get one each
# No red, amber or green: on this screen those mean overdue, at risk and on time, and a queue's line is neither.
LINE_COLORS = ("#1565c0", "#7b1fa2", "#00897b", "#6d4c41", "#546e7a", "#827717")


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # a poll must not replay an animation
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


class _ChartView(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(200)


class BacklogChart(_ChartView):
    """Open items at the end of each bucket, one line per queue."""

    def show_stats(self, stats: TeamQueueStats) -> None:
        chart = _chart(f"Backlog, last {stats.hours} h")
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)  # one name per line: long queue names stay whole
        busiest = sorted(stats.queues, key=lambda q: -max((b.backlog for b in q.series), default=0))[:MAX_LINES]
        x_axis = QDateTimeAxis()
        x_axis.setFormat("HH:mm")
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        top = 1
        for queue, color in zip(busiest, LINE_COLORS, strict=False):
            series = QLineSeries()
            series.setName(queue.name)
            series.setColor(QColor(color))
            for bucket in queue.series:
                moment = QDateTime.fromSecsSinceEpoch(int(bucket.end.timestamp()))
                series.append(float(moment.toMSecsSinceEpoch()), float(bucket.backlog))
                top = max(top, bucket.backlog)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        y_axis.setRange(0, top + 1)
        y_axis.applyNiceNumbers()
        first = next((q.series for q in stats.queues if q.series), [])
        if first:
            x_axis.setRange(
                QDateTime.fromSecsSinceEpoch(int(first[0].end.timestamp())),
                QDateTime.fromSecsSinceEpoch(int(first[-1].end.timestamp())),
            )
        self._replace(chart)

    def _replace(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()


class ThroughputChart(BacklogChart):
    """Items in and decisions out per bucket, all queues together."""

    def show_stats(self, stats: TeamQueueStats) -> None:  # type: ignore[override]
        chart = _chart(f"Throughput per {stats.bucket_seconds // 60} min, all queues")
        buckets = max((len(q.series) for q in stats.queues), default=0)
        decided, inflow = QBarSet("Decided"), QBarSet("Arrived")
        decided.setColor(QColor("#2e7d32"))
        inflow.setColor(QColor("#90a4ae"))
        labels: list[str] = []
        top = 1
        for index in range(buckets):
            done = sum(q.series[index].decided for q in stats.queues if len(q.series) > index)
            came = sum(q.series[index].inflow for q in stats.queues if len(q.series) > index)
            decided.append(done)
            inflow.append(came)
            top = max(top, done, came)
            sample = next(q.series[index] for q in stats.queues if len(q.series) > index)
            labels.append(sample.start.astimezone().strftime("%Hh"))  # "17:00" does not fit under a bar
        series = QBarSeries()
        series.append(inflow)
        series.append(decided)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(labels)
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        y_axis.setRange(0, top + 1)
        y_axis.applyNiceNumbers()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        self._replace(chart)
